using Parley.Server.Core;

namespace Parley.Server.Tests.Core;

/// <summary>The list of common passwords is in the server, whole, and found without regard to case.</summary>
public sealed class CommonPasswordsTests
{
    [Fact]
    public void AtLeastTenThousandCommonPasswordsAreKnown()
    {
        Assert.True(CommonPasswords.Count >= 10_000, $"{CommonPasswords.Count} passwords");
    }

    [Theory]
    [InlineData("password1", true)]
    [InlineData("PASSWORD1", true)]
    [InlineData("correct horse battery staple", false)]
    [InlineData("# The most common passwords of 8 characters or more, most common first: the passwords list of", false)]
    public void APasswordIsCommonOrNot(string password, bool common)
    {
        Assert.Equal(common, CommonPasswords.Contains(password));
    }
}
