using System.Security.Cryptography;
using Parley.Server.Core;

namespace Parley.Server.Tests.Storage;

/// <summary>The hashes stored with accounts. Each hash or check at 600,000 iterations costs about 0.3 s: keep them few.</summary>
public sealed class PasswordHasherTests
{
    [Fact]
    public void AHashVerifiesItsPasswordAndNoOther()
    {
        var encoded = PasswordHasher.Hash("correct horse battery staple");

        Assert.True(PasswordHasher.Verify("correct horse battery staple", encoded));
        Assert.False(PasswordHasher.Verify("correct horse battery stapler", encoded));
    }

    [Fact]
    public void TwoHashesOfOnePasswordDifferAndHold600000Iterations()
    {
        var first = PasswordHasher.Hash("hunter22");
        var second = PasswordHasher.Hash("hunter22");

        Assert.NotEqual(first, second);
        var parts = first.Split('$');
        Assert.Equal("pbkdf2-sha256", parts[0]);
        Assert.Equal("600000", parts[1]);
        Assert.Equal(16, Convert.FromBase64String(parts[2]).Length);
        Assert.Equal(32, Convert.FromBase64String(parts[3]).Length);
        Assert.Equal(600_000, PasswordHasher.Iterations);
    }

    [Fact]
    public void VerifyTakesTheIterationCountFromTheEncoding()
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2("hunter22", salt, 1_000, HashAlgorithmName.SHA256, 32);
        var encoded = $"pbkdf2-sha256$1000${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";

        Assert.True(PasswordHasher.Verify("hunter22", encoded));
    }

    [Theory]
    [InlineData("")]
    [InlineData("hunter22")]
    [InlineData("pbkdf2-sha256$600000$c2FsdHNhbHRzYWx0c2FsdA==")]
    [InlineData("pbkdf2-sha256$600000$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g=$extra")]
    [InlineData("pbkdf2-sha512$600000$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g=")]
    [InlineData("pbkdf2-sha256$many$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g=")]
    [InlineData("pbkdf2-sha256$0$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g=")]
    [InlineData("pbkdf2-sha256$-5$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g=")]
    [InlineData("pbkdf2-sha256$600000$not base64!$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g=")]
    [InlineData("pbkdf2-sha256$600000$$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g=")]
    [InlineData("pbkdf2-sha256$600000$c2FsdHNhbHRzYWx0c2FsdA==$")]
    [InlineData("pbkdf2-sha256$600000$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaA==")]
    public void MalformedEncodingsDoNotVerify(string encoded)
    {
        Assert.False(PasswordHasher.Verify("hunter22", encoded));
    }
}
