using System.Numerics;

namespace Parley.Testing.Fuzzing;

/// <summary>The kinds of JSON value a generator writes, numbers told apart by what they can be read as.</summary>
public enum JsonKind
{
    /// <summary>A string.</summary>
    String,
    /// <summary>A number written without fraction or exponent, however large.</summary>
    Integer,
    /// <summary>A number with a fraction or an exponent.</summary>
    Fraction,
    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,
    /// <summary><c>null</c>.</summary>
    Null,
    /// <summary>An array.</summary>
    Array,
    /// <summary>An object.</summary>
    Object,
}

/// <summary>A JSON value as a generator wrote it: its text and what a reader should find in it.</summary>
/// <param name="Kind">What kind of value it is.</param>
/// <param name="Json">The value as written, without surrounding whitespace.</param>
public sealed record JsonValue(JsonKind Kind, string Json)
{
    /// <summary>The string, for a <see cref="JsonKind.String"/>.</summary>
    public JsonString? String { get; init; }

    /// <summary>The number, for an <see cref="JsonKind.Integer"/>.</summary>
    public BigInteger Integer { get; init; }

    /// <summary>The members in the order written, for an <see cref="JsonKind.Object"/>.</summary>
    public IReadOnlyList<JsonMember> Members { get; init; } = [];

    /// <summary>How many arrays and objects are nested here, this one included: 0 for a scalar.</summary>
    public int Depth { get; init; }

    /// <summary>A string value.</summary>
    public static JsonValue Of(JsonString text) => new(JsonKind.String, text.Json) { String = text };

    /// <summary>An integer written as <paramref name="text"/> (decimal digits, an optional minus).</summary>
    public static JsonValue IntegerOf(string text) =>
        new(JsonKind.Integer, text) { Integer = BigInteger.Parse(text, System.Globalization.CultureInfo.InvariantCulture) };

    /// <summary>An array of <paramref name="items"/>.</summary>
    public static JsonValue ArrayOf(IReadOnlyList<JsonValue> items) =>
        new(JsonKind.Array, "[" + string.Join(",", items.Select(item => item.Json)) + "]")
        {
            Depth = 1 + items.Select(item => item.Depth).DefaultIfEmpty(0).Max(),
        };

    /// <summary>An object of <paramref name="members"/>, in order, duplicates kept.</summary>
    public static JsonValue ObjectOf(IReadOnlyList<JsonMember> members) =>
        new(JsonKind.Object, "{" + string.Join(",", members.Select(member => member.Json)) + "}")
        {
            Members = members,
            Depth = 1 + members.Select(member => member.Value.Depth).DefaultIfEmpty(0).Max(),
        };
}

/// <summary>One member of a JSON object.</summary>
/// <param name="Name">The member's name.</param>
/// <param name="Value">The member's value.</param>
public sealed record JsonMember(JsonString Name, JsonValue Value)
{
    /// <summary>The member as written, without whitespace.</summary>
    public string Json => Name.Json + ":" + Value.Json;
}
