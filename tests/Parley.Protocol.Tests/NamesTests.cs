using System.Globalization;
using System.Text;

namespace Parley.Protocol.Tests;

public class NamesTests
{
    // 𐐨 (U+10428, DESERET SMALL LETTER LONG I): a letter outside the BMP, two UTF-16 units
    private const string DeseretLongI = "\U00010428";

    [Theory]
    [InlineData("alice")]
    [InlineData("Alice")]
    [InlineData("a")]
    [InlineData("7")]
    [InlineData("42isanumber")]
    [InlineData("bob_the-builder.v2")]
    [InlineData("a.")]
    [InlineData("x__--..")]
    [InlineData("Алиса")]
    [InlineData("Αλίκη")]
    [InlineData("王小明")]
    [InlineData("さくら")]
    [InlineData("علي")]
    [InlineData("שלום")]
    [InlineData("한국어")]
    [InlineData("José")]
    [InlineData("٣٤٥")]
    [InlineData("abcdefghijklmnopqrstuvwxyz012345")]
    [InlineData("கி")]
    [InlineData("क्ष")]
    [InlineData("Jose\u0301")]
    [InlineData("田中さん")]
    [InlineData("ラーメン")]
    [InlineData("한국어漢字")]
    [InlineData("ㄅㄆ漢")]
    [InlineData("Алиса1")]
    public void ValidUserNameIsAccepted(string name)
    {
        Assert.True(Names.TryNormalizeUser(name, out var display, out var key));
        Assert.Equal(name.Normalize(NormalizationForm.FormC), display);
        Assert.Equal(display.ToLowerInvariant(), key);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(ProtocolLimits.MaxNameLength)]
    public void NameOfNonBmpLettersCountsCodePoints(int letters)
    {
        var name = string.Concat(Enumerable.Repeat(DeseretLongI, letters));
        Assert.Equal(letters * 2, name.Length);

        Assert.True(Names.TryNormalizeUser(name, out var display, out _));
        Assert.Equal(name, display);
    }

    [Fact]
    public void NameOf33NonBmpLettersIsInvalid()
    {
        var name = string.Concat(Enumerable.Repeat(DeseretLongI, ProtocolLimits.MaxNameLength + 1));

        Assert.False(Names.TryNormalizeUser(name, out _, out _));
    }

    [Fact]
    public void NameOf32DecomposedLettersCountsAfterNfc()
    {
        // 32 letters written as letter + combining accent: 64 code points before NFC, 32 after
        var name = string.Concat(Enumerable.Repeat("e\u0301", ProtocolLimits.MaxNameLength));

        Assert.True(Names.TryNormalizeUser(name, out var display, out _));
        Assert.Equal(new string('é', ProtocolLimits.MaxNameLength), display);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456")]
    [InlineData("_alice")]
    [InlineData("-alice")]
    [InlineData(".alice")]
    [InlineData("al ice")]
    [InlineData(" alice")]
    [InlineData("alice ")]
    [InlineData("al\u00a0ice")]
    [InlineData("al\u3000ice")]
    [InlineData("#alice")]
    [InlineData("ali#ce")]
    [InlineData("@alice")]
    [InlineData("alice@host")]
    [InlineData("al/ice")]
    [InlineData("al:ice")]
    [InlineData("al,ice")]
    [InlineData("al*ice")]
    [InlineData("al+ice")]
    [InlineData("alice\u0000")]
    [InlineData("al\tice")]
    [InlineData("alice\n")]
    [InlineData("al\u001bice")]
    [InlineData("al\u007fice")]
    [InlineData("al\u0085ice")]
    [InlineData("al\u200bice")]
    [InlineData("al\u200dice")]
    [InlineData("alice😀")]
    [InlineData("Ⅻ")]
    [InlineData("\u0301a")]
    [InlineData("a\u0378")]
    public void InvalidUserNameIsRefused(string? name)
    {
        Assert.False(Names.TryNormalizeUser(name, out var display, out var key));
        Assert.Equal(string.Empty, display);
        Assert.Equal(string.Empty, key);
    }

    [Theory]
    [InlineData("аdmin")] // Cyrillic а
    [InlineData("rοot")] // Greek ο
    [InlineData("pаypal")]
    [InlineData("Aλεξ")]
    [InlineData("user٣")] // an Arabic-Indic digit is Arabic
    [InlineData("abc漢")]
    [InlineData("漢한ㄅ")] // Korean and Chinese are two
    [InlineData("さくらㄅ")]
    public void NameMixingScriptsIsInvalid(string name)
    {
        Assert.False(Names.TryNormalizeUser(name, out _, out _));
    }

    [Theory]
    [InlineData("adminㅤ")] // U+3164 HANGUL FILLER
    [InlineData("ㅤ")]
    [InlineData("ㅤadmin")]
    [InlineData("admin\u115f")] // HANGUL CHOSEONG FILLER
    [InlineData("admin\u1160")] // HANGUL JUNGSEONG FILLER
    [InlineData("admin\uffa0")] // HALFWIDTH HANGUL FILLER
    [InlineData("ad\u200dmin")] // ZERO WIDTH JOINER
    [InlineData("admin\ufe0f")] // VARIATION SELECTOR-16
    [InlineData("ad\u034fmin")] // COMBINING GRAPHEME JOINER, a mark
    [InlineData("ad\u00admin")] // SOFT HYPHEN
    [InlineData("ad\u2060min")] // WORD JOINER
    public void NameWithAnInvisibleCharacterIsInvalid(string name)
    {
        Assert.False(Names.TryNormalizeUser(name, out _, out _));
        Assert.False(Names.TryNormalizeRoom("#" + name, out _));
    }

    [Theory]
    [InlineData("𝐚𝐝𝐦𝐢𝐧")] // MATHEMATICAL BOLD SMALL letters
    [InlineData("\U0001D400")]
    [InlineData("ℌ")]
    [InlineData("ﬁx")]
    [InlineData("ǅ")]
    [InlineData("²")]
    [InlineData("a²")]
    [InlineData("ㄱ")] // a compatibility jamo
    [InlineData("ﾡ")] // a half-width one: width mapping makes it ㄱ
    public void NameWithACompatibilityCharacterIsInvalid(string name)
    {
        Assert.False(Names.TryNormalizeUser(name, out _, out _));
    }

    [Theory]
    [InlineData("علـي")] // ARABIC TATWEEL
    [InlineData("가\u1161")] // a vowel jamo NFC cannot join
    [InlineData("\u1100\u1161\u11a8x")]
    [InlineData("ゝ\u3031")] // VERTICAL KANA REPEAT MARK
    public void NameWithACharacterPrecisDisallowsIsInvalid(string name)
    {
        Assert.False(Names.TryNormalizeUser(name, out _, out _));
    }

    [Fact]
    public void ConjoiningJamoThatNfcJoinsMakeAValidName()
    {
        Assert.True(Names.TryNormalizeUser("\u1100\u1161\u11a8", out var display, out _));
        Assert.Equal("각", display);
    }

    [Theory]
    [InlineData("a_\u0301")]
    [InlineData("a-\u0301")]
    [InlineData("a.\u0301")]
    [InlineData("\u0bbf")] // TAMIL VOWEL SIGN I, with no consonant
    public void CombiningMarkWithoutALetterOrDigitBeforeItIsInvalid(string name)
    {
        Assert.False(Names.TryNormalizeUser(name, out _, out _));
    }

    [Theory]
    [InlineData("jose\u0301\u0301")] // a second acute draws over the first
    [InlineData("Jos\u00e9\u0301")]
    [InlineData("a\u0301\u0300\u0301")]
    [InlineData("admi\u0307n")] // a dot above an i shows as the i's own dot
    [InlineData("j\u0307ohn")]
    [InlineData("a\u0300\u0301\u0302\u0303\u0304")] // five marks on one letter
    public void NameWithMarksThatHideIsInvalid(string name)
    {
        Assert.False(Names.TryNormalizeUser(name, out _, out _));
    }

    [Theory]
    [InlineData("a\u0300\u0301\u0302\u0303")] // four
    [InlineData("Nguy\u1ec5n")] // ễ: e with a circumflex and a tilde
    [InlineData("\u1ec7")]
    [InlineData("İstanbul")] // a dot above a capital I, which has none of its own
    public void NameWithMarksThatShowIsValid(string name)
    {
        Assert.True(Names.TryNormalizeUser(name, out _, out _));
    }

    [Theory]
    [InlineData("\u0663\u06f3")] // ٣ and ۳, Arabic-Indic and Persian three
    [InlineData("क\u0967\u0032")] // a Devanagari one and an ASCII two
    public void NameWithDigitsOfTwoDecimalSystemsIsInvalid(string name)
    {
        Assert.False(Names.TryNormalizeUser(name, out _, out _));
    }

    [Theory]
    [InlineData("ａｄｍｉｎ", "admin", "admin")]
    [InlineData("ＡＤＭＩＮ", "ADMIN", "admin")]
    [InlineData("ａｄｍｉｎ２", "admin2", "admin2")]
    [InlineData("ｶﾞｷﾞ", "ガギ", "ガギ")]
    [InlineData("ａ_ｂ", "a_b", "a_b")]
    public void FullWidthAndHalfWidthFormsAreMappedToTheirUsualWidth(string name, string display, string key)
    {
        Assert.True(Names.TryNormalizeUser(name, out var shown, out var folded));
        Assert.Equal(display, shown);
        Assert.Equal(key, folded);
    }

    [Fact]
    public void FullWidthAdminIsAdmin()
    {
        Assert.True(Names.TryNormalizeUser("admin", out _, out var admin));
        Assert.True(Names.TryNormalizeUser("ａｄｍｉｎ", out _, out var fullWidth));

        Assert.Equal(admin, fullWidth);
    }

    [Theory]
    [InlineData("Straße")]
    [InlineData("STRASSE")]
    [InlineData("strasse")]
    [InlineData("STRAẞE")]
    public void FullCaseFoldingGivesStrasseOneKey(string name)
    {
        Assert.True(Names.TryNormalizeUser(name, out var display, out var key));

        Assert.Equal("strasse", key);
        Assert.Equal(name, display);
    }

    [Fact]
    public void CanonicallyEquivalentSpellingsHaveOneKeyWhereFoldingAndNfcDoNotCommute()
    {
        // α with U+0345 (which folds to ι) and an acute: canonically equivalent in either order,
        // while folding before NFC would put the acute on the ι in one of them
        Assert.True(Names.TryNormalizeUser("\u03b1\u0345\u0301", out var oneDisplay, out var one));
        Assert.True(Names.TryNormalizeUser("\u03b1\u0301\u0345", out var otherDisplay, out var other));

        Assert.Equal(one, other);
        Assert.Equal(oneDisplay, otherDisplay);
    }

    // the surrogate comes as a number: xunit would turn a lone surrogate in a string into U+FFFD
    [Theory]
    [InlineData("al", 0xD800, "ice")]
    [InlineData("alice", 0xD83D, "")]
    [InlineData("", 0xDC00, "alice")]
    public void NameWithALoneSurrogateIsRefused(string before, int surrogate, string after)
    {
        var name = before + (char)surrogate + after;

        Assert.False(Names.TryNormalizeUser(name, out _, out _));
        Assert.False(Names.TryNormalizeRoom("#" + name, out _));
    }

    [Fact]
    public void DecomposedAndComposedNamesHaveTheSameKey()
    {
        Assert.True(Names.TryNormalizeUser("Ame\u0301lie", out var decomposedDisplay, out var decomposedKey));
        Assert.True(Names.TryNormalizeUser("Am\u00e9lie", out var composedDisplay, out var composedKey));

        Assert.Equal(composedKey, decomposedKey);
        Assert.Equal("amélie", composedKey);
        Assert.Equal("Am\u00e9lie", decomposedDisplay);
        Assert.Equal(composedDisplay, decomposedDisplay);
    }

    [Theory]
    [InlineData("Alice", "ALICE")]
    [InlineData("alice", "aLiCe")]
    [InlineData("Ünal", "üNAL")]
    [InlineData("Алиса", "АЛИСА")]
    [InlineData("Αλίκη", "ΑΛΊΚΗ")]
    [InlineData("E\u0301LODIE", "\u00e9lodie")]
    [InlineData("Σοφος", "ΣΟΦΟΣ")]
    [InlineData("Οδυσσευς", "ΟΔΥΣΣΕΥΣ")]
    [InlineData("𐐀𐐁", "𐐨𐐩")]
    [InlineData("Straße", "STRASSE")]
    [InlineData("ᏣᎳᎩ", "ꮳꮃꭹ")]
    [InlineData("İstanbul", "İSTANBUL")]
    public void NamesDifferingOnlyInCaseHaveTheSameKey(string one, string other)
    {
        Assert.True(Names.TryNormalizeUser(one, out var oneDisplay, out var oneKey));
        Assert.True(Names.TryNormalizeUser(other, out var otherDisplay, out var otherKey));

        Assert.Equal(oneKey, otherKey);
        Assert.NotEqual(oneDisplay, otherDisplay);
    }

    [Fact]
    public void DisplayKeepsTheCaseAsWritten()
    {
        Assert.True(Names.TryNormalizeUser("AliceB", out var display, out var key));

        Assert.Equal("AliceB", display);
        Assert.Equal("aliceb", key);
    }

    [Fact]
    public void DifferentNamesHaveDifferentKeys()
    {
        Assert.True(Names.TryNormalizeUser("alice", out _, out var alice));
        Assert.True(Names.TryNormalizeUser("alice2", out _, out var alice2));
        Assert.True(Names.TryNormalizeUser("alicé", out _, out var aliceAcute));

        Assert.Equal(3, new[] { alice, alice2, aliceAcute }.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void KeyDoesNotDependOnTheCurrentCulture()
    {
        var culture = CultureInfo.CurrentCulture;
        try
        {
            // Turkish lowercases I to dotless ı; keys must not
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("tr-TR");
            Assert.True(Names.TryNormalizeUser("IRIS", out _, out var key));
            Assert.Equal("iris", key);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Theory]
    [InlineData("alice", "alice")]
    [InlineData("Alice", "alice")]
    [InlineData("Straße", "straße")] // the old rules kept ß: Straße and strasse were two accounts
    [InlineData("ΣΟΦΟΣ", "σοφοσ")]
    [InlineData("Ame\u0301lie", "amélie")]
    [InlineData("ａｄｍｉｎ", "ａｄｍｉｎ")] // no width mapping
    [InlineData("adminㅤ", "adminㅤ")] // the filler was a letter to the old rules
    [InlineData("аdmin", "аdmin")] // and scripts could mix
    public void LegacyKeyIsTheKeyTheOldRulesGave(string name, string legacyKey)
    {
        Assert.True(LegacyNames.TryNormalizeUser(name, out var key));
        Assert.Equal(legacyKey, key);
    }

    [Theory]
    [InlineData("")]
    [InlineData("_alice")]
    [InlineData("a b")]
    [InlineData("#dev")]
    public void ANameTheOldRulesRefusedHasNoLegacyKey(string name)
    {
        Assert.False(LegacyNames.TryNormalizeUser(name, out _));
    }

    [Theory]
    [InlineData("alice")]
    [InlineData("Alice")]
    [InlineData("Алиса")]
    [InlineData("ΣΟΦΟΣ")]
    public void LegacyKeyOfANameWithoutSharpSOrWidthFormsIsTodaysKey(string name)
    {
        Assert.True(Names.TryNormalizeUser(name, out _, out var key));
        Assert.True(LegacyNames.TryNormalizeUser(name, out var legacy));
        Assert.Equal(key, legacy);
    }

    [Theory]
    [InlineData("#dev", "#dev")]
    [InlineData("#Dev", "#dev")]
    [InlineData("#LOBBY", "#lobby")]
    [InlineData("#a", "#a")]
    [InlineData("#7", "#7")]
    [InlineData("#rust-lang.fr_2", "#rust-lang.fr_2")]
    [InlineData("#Café", "#café")]
    [InlineData("#Cafe\u0301", "#café")]
    [InlineData("#ÉTÉ", "#été")]
    [InlineData("#Москва", "#москва")]
    [InlineData("#東京", "#東京")]
    [InlineData("#ｌｏｂｂｙ", "#lobby")]
    [InlineData("#Straße", "#strasse")]
    [InlineData("#கி", "#கி")]
    [InlineData("#abcdefghijklmnopqrstuvwxyz012345", "#abcdefghijklmnopqrstuvwxyz012345")]
    public void ValidRoomIsCanonicalInLowercase(string name, string canonical)
    {
        Assert.True(Names.TryNormalizeRoom(name, out var room));
        Assert.Equal(canonical, room);
    }

    [Theory]
    [InlineData("#dev")]
    [InlineData("#r-12_a.b")]
    [InlineData("#0")]
    [InlineData("#abcdefghijklmnopqrstuvwxyz012345")]
    public void ARoomWrittenInItsCanonicalFormIsItselfNotACopy(string name)
    {
        Assert.True(Names.TryNormalizeRoom(name, out var room));
        Assert.Same(name, room);
    }

    [Fact]
    public void RoomOf32NonBmpLettersIsValid()
    {
        var name = "#" + string.Concat(Enumerable.Repeat(DeseretLongI, ProtocolLimits.MaxNameLength));

        Assert.True(Names.TryNormalizeRoom(name, out var room));
        Assert.Equal(name, room);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("#")]
    [InlineData("dev")]
    [InlineData("Dev")]
    [InlineData("##x")]
    [InlineData("##")]
    [InlineData("# dev")]
    [InlineData("#dev ")]
    [InlineData(" #dev")]
    [InlineData("#_dev")]
    [InlineData("#-dev")]
    [InlineData("#.dev")]
    [InlineData("#de@v")]
    [InlineData("#de#v")]
    [InlineData("#dev\n")]
    [InlineData("#abcdefghijklmnopqrstuvwxyz0123456")]
    [InlineData("#lobbyㅤ")]
    [InlineData("#ㅤ")]
    [InlineData("#lоbby")] // Cyrillic о
    [InlineData("#𝐥𝐨𝐛𝐛𝐲")]
    public void InvalidRoomIsRefused(string? name)
    {
        Assert.False(Names.TryNormalizeRoom(name, out var room));
        Assert.Equal(string.Empty, room);
    }

    [Theory]
    [InlineData("#dev", true)]
    [InlineData("#", true)]
    [InlineData("##x", true)]
    [InlineData("dev", false)]
    [InlineData("alice", false)]
    [InlineData("", false)]
    [InlineData(" #dev", false)]
    [InlineData("a#b", false)]
    public void IsRoomTellsRoomsFromUsers(string conversation, bool isRoom)
    {
        Assert.Equal(isRoom, Names.IsRoom(conversation));
    }
}
