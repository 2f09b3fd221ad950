using System.Globalization;
using System.Text;
using CsCheck;

namespace Parley.Testing.Fuzzing;

/// <summary>
/// Generators of JSON text that a reader must take apart: strings with every kind of escape,
/// control characters, characters outside the BMP and lone surrogates; numbers too large for any
/// type; values nested deeper than a reader allows.
/// </summary>
public static class JsonGen
{
    private static readonly string[] s_bmp = ["é", "ß", "Σ", "ı", "中", "ｆ", "\u0301", "\u200b", "\u202e", "\u2028", "\ufeff", "\ufffd", "\uffff", "\u00a0", "\u3164"];
    private static readonly string[] s_astral = ["😀", "𝐚", "\U0001F1EB", "\U0010FFFF", "\U000E0041"];

    /// <summary>One character: what it stands for and how it is written.</summary>
    private static readonly Gen<(string Value, string Json)> s_wellFormedPiece = Gen.Frequency(
        (30, Gen.Char['a', 'z'].Select(c => Raw(c.ToString()))),
        (6, Gen.Char['0', '9'].Select(c => Raw(c.ToString()))),
        (5, Gen.OneOf(" ", "#", ".", "-", "_", "@", "/", "\u007f").Select(Raw)),
        (4, Gen.OneOf(("\"", "\\\""), ("\\", "\\\\"), ("/", "\\/"), ("\n", "\\n"), ("\t", "\\t"), ("\r", "\\r"), ("\b", "\\b"), ("\f", "\\f"))),
        (3, Gen.Select(Gen.Char['\0', '\u001f'], Gen.Bool, (c, upper) => (c.ToString(), Escape(c, upper)))),
        (2, Gen.Select(Gen.Char['a', 'z'], Gen.Bool, (c, upper) => (c.ToString(), Escape(c, upper)))),
        (8, Gen.Select(Gen.OneOf(s_bmp), Gen.Int[0, 2], Written)),
        (4, Gen.Select(Gen.OneOf(s_astral), Gen.Int[0, 2], Written)));

    private static readonly Gen<(string Value, string Json)> s_loneSurrogate =
        Gen.Select(Gen.Char['\ud800', '\udfff'], Gen.Bool, (c, upper) => (c.ToString(), Escape(c, upper)));

    private static readonly Gen<(string Value, string Json)> s_anyPiece = Gen.Frequency(
        (20, s_wellFormedPiece),
        (1, s_loneSurrogate));

    /// <summary>A string of <paramref name="min"/> to <paramref name="max"/> code points, each written raw or escaped; with <paramref name="loneSurrogates"/>, some are lone surrogates.</summary>
    public static Gen<JsonString> String(int min, int max, bool loneSurrogates = true) =>
        (loneSurrogates ? s_anyPiece : s_wellFormedPiece).Array[min, max].Select(Join);

    /// <summary>A string that holds a lone surrogate somewhere among other characters.</summary>
    public static Gen<JsonString> WithLoneSurrogate { get; } =
        Gen.Select(s_wellFormedPiece.Array[0, 4], s_loneSurrogate, s_wellFormedPiece.Array[0, 4],
            (before, lone, after) => Join([.. before, lone, .. after]));

    /// <summary>Exactly <paramref name="value"/>, each character written raw or escaped (a pair escaped as a pair).</summary>
    public static Gen<JsonString> Spelled(string value)
    {
        var runes = value.EnumerateRunes().Select(rune => rune.ToString()).ToArray();
        return Gen.Int[0, 5].Array[runes.Length].Select(ways => Join([.. runes.Select((rune, i) => Written(rune, ways[i] == 0 ? 1 : ways[i] == 1 ? 2 : 0))]));
    }

    /// <summary>Numbers: small ones, the edges of 32- and 64-bit integers, hundreds of digits, fractions and exponents.</summary>
    public static Gen<JsonValue> Number { get; } = Gen.Frequency(
        (10, Gen.Int[-1000, 1000].Select(n => JsonValue.IntegerOf(n.ToString(CultureInfo.InvariantCulture)))),
        (6, Gen.OneOf("9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809",
            "2147483647", "2147483648", "-2147483648", "-2147483649", "-0", "0").Select(JsonValue.IntegerOf)),
        (3, Gen.Select(Gen.Char['1', '9'], Gen.Char['0', '9'].Array[19, 400], (first, digits) => JsonValue.IntegerOf(first + new string(digits)))),
        (4, Gen.OneOf("1.5", "-0.0", "1e2", "1E+2", "12.0", "1e400", "-1e-400", "0.000", "1.7976931348623157E+309", "5e-324")
            .Select(text => new JsonValue(JsonKind.Fraction, text))));

    /// <summary>A string, number, boolean or null.</summary>
    public static Gen<JsonValue> Scalar { get; } = Gen.Frequency(
        (6, String(0, 8).Select(JsonValue.Of)),
        (4, Number),
        (1, Gen.OneOf("true", "false").Select(text => new JsonValue(JsonKind.Boolean, text))),
        (1, Gen.Const(new JsonValue(JsonKind.Null, "null"))));

    /// <summary>
    /// Arrays or objects nested 1 to 100 deep around a scalar: past 63 inside a frame they are deeper
    /// than a reader allows (the frame itself is one level).
    /// </summary>
    public static Gen<JsonValue> Deep { get; } = Gen.Select(Gen.Int[1, 100], Gen.Bool, Scalar, (depth, arrays, inner) =>
    {
        var value = inner;
        var name = new JsonString("a", "\"a\"");
        for (var i = 0; i < depth; i++)
        {
            value = arrays ? JsonValue.ArrayOf([value]) : JsonValue.ObjectOf([new JsonMember(name, value)]);
        }
        return value;
    });

    /// <summary>Any value: scalars, small arrays and objects a few levels deep, and now and then a deep one.</summary>
    public static Gen<JsonValue> Any { get; } = Gen.Frequency((12, Nested(3)), (1, Deep));

    /// <summary>Any value but a string.</summary>
    public static Gen<JsonValue> NotAString { get; } = Any.Where(value => value.Kind != JsonKind.String);

    private static Gen<JsonValue> Nested(int levels) => levels == 0
        ? Scalar
        : Gen.Frequency(
            (6, Scalar),
            (1, Nested(levels - 1).Array[0, 3].Select(items => JsonValue.ArrayOf(items))),
            (1, Gen.Select(String(0, 6), Nested(levels - 1), (name, value) => new JsonMember(name, value)).Array[0, 3]
                .Select(members => JsonValue.ObjectOf(members))));

    private static (string Value, string Json) Raw(string value) => (value, value);

    private static string Escape(char c, bool upper) =>
        "\\u" + ((int)c).ToString(upper ? "X4" : "x4", CultureInfo.InvariantCulture);

    // 0: raw, 1: escaped in upper-case hex, 2: escaped in lower-case hex (a character outside the BMP as its pair)
    private static (string Value, string Json) Written(string rune, int way) =>
        way == 0 && !MustBeEscaped(rune) ? (rune, rune) : (rune, string.Concat(rune.Select(c => Escape(c, way != 2))));

    private static bool MustBeEscaped(string rune) => rune is "\"" or "\\" || rune[0] < ' ';

    private static JsonString Join((string Value, string Json)[] pieces)
    {
        var value = new StringBuilder();
        var json = new StringBuilder("\"");
        foreach (var (v, j) in pieces)
        {
            value.Append(v);
            json.Append(j);
        }
        return new JsonString(value.ToString(), json.Append('"').ToString());
    }
}
