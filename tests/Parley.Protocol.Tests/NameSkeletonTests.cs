namespace Parley.Protocol.Tests;

public class NameSkeletonTests
{
    [Theory]
    [InlineData("admin", "аdmin")] // Cyrillic а: not a valid name, yet its skeleton is admin's
    [InlineData("admin", "ａｄｍｉｎ")]
    [InlineData("admin", "𝐚𝐝𝐦𝐢𝐧")]
    [InlineData("admin", "adminㅤ")]
    [InlineData("admin", "ad\u200dmin")]
    [InlineData("admin", "ADMIN")]
    [InlineData("root", "rοot")] // Greek ο
    [InlineData("paypal", "pаypal")]
    [InlineData("m", "rn")]
    [InlineData("bob", "b0b")]
    [InlineData("alice", "aIice")] // capital I
    [InlineData("Alice", "AIice")]
    [InlineData("alice", "AIice")]
    [InlineData("Alice", "aIice")]
    [InlineData("alice", "a1ice")]
    [InlineData("Straße", "strasse")]
    [InlineData("ΣΟΦΟΣ", "σοφος")]
    [InlineData("#lobby", "#ｌｏｂｂｙ")]
    [InlineData("#lobby", "#lobbyㅤ")]
    [InlineData("#lobby", "#LOBBY")]
    [InlineData("#lobby", "#lоbby")] // Cyrillic о
    public void NamesThatLookAlikeHaveOneSkeleton(string one, string other)
    {
        Assert.Equal(Names.SkeletonOf(one), Names.SkeletonOf(other));
    }

    [Theory]
    [InlineData("alice", "bob")]
    [InlineData("alice", "alicia")]
    [InlineData("admin", "admins")]
    [InlineData("anna", "hanna")]
    [InlineData("amelie", "amélie")]
    [InlineData("田中", "田口")]
    [InlineData("кот", "кит")]
    [InlineData("lobby", "#lobby")] // a room is never a user
    public void NamesThatLookDifferentHaveDifferentSkeletons(string one, string other)
    {
        Assert.NotEqual(Names.SkeletonOf(one), Names.SkeletonOf(other));
    }

    [Fact]
    public void ACapitalILooksLikeASmallLSoIanAndLanAreOneName()
    {
        // whoever holds ian may show it as Ian, which reads as Lan
        Assert.Equal(Names.SkeletonOf("ian"), Names.SkeletonOf("lan"));
    }

    [Theory]
    [InlineData("Straße")]
    [InlineData("AIice")]
    [InlineData("ΣΟΦΟΣ")]
    [InlineData("ＡＤＭＩＮ")]
    [InlineData("İstanbul")]
    [InlineData("ᏣᎳᎩ")]
    [InlineData("Ame\u0301lie")]
    public void ANameItsDisplayAndItsKeyHaveOneSkeleton(string name)
    {
        Assert.True(Names.TryNormalizeUser(name, out var display, out var key));

        Assert.Equal(Names.SkeletonOf(name), Names.SkeletonOf(display));
        Assert.Equal(Names.SkeletonOf(name), Names.SkeletonOf(key));
    }

    [Theory]
    [InlineData("#Dev")]
    [InlineData("#ÉTÉ")]
    [InlineData("#ｌｏｂｂｙ")]
    public void ARoomAsWrittenAndItsCanonicalFormHaveOneSkeleton(string name)
    {
        Assert.True(Names.TryNormalizeRoom(name, out var room));

        Assert.Equal(Names.SkeletonOf(name), Names.SkeletonOf(room));
        Assert.StartsWith("#", Names.SkeletonOf(room), StringComparison.Ordinal);
    }

    [Fact]
    public void SkeletonsComputedOnManyThreadsAtOnceAreThoseComputedOneByOne()
    {
        var names = Enumerable.Range(0, 2_000).Select(i => $"аdmin{i}ＡＢ").ToArray();
        var oneByOne = names.Select(Names.SkeletonOf).ToArray();

        var atOnce = new string[names.Length];
        Parallel.For(0, names.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => atOnce[i] = Names.SkeletonOf(names[i]));

        Assert.Equal(oneByOne, atOnce);
    }

    [Fact]
    public void ASkeletonMuchLongerThanItsNameComesWhole()
    {
        // U+FDFA, one code point, is a whole Arabic phrase to the skeleton: ICU asks for a bigger buffer
        var ligature = Names.SkeletonOf("\ufdfa");

        Assert.True(ligature.Length >= 18, $"The skeleton of U+FDFA has {ligature.Length} UTF-16 units.");
        Assert.Equal(string.Concat(Enumerable.Repeat(ligature, 100)), Names.SkeletonOf(new string('\ufdfa', 100)));
    }

    [Fact]
    public void SkeletonOfAStringWithALoneSurrogateIsRefused()
    {
        Assert.Throws<ArgumentException>(() => Names.SkeletonOf("al" + (char)0xD800 + "ice"));
    }
}
