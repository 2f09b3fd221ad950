using System.Text;
using CsCheck;

namespace Parley.Testing.Fuzzing;

/// <summary>
/// Generators of client frames for every type, with fields of the right and the wrong kinds, ids of
/// every length, repeated members, escapes, lone surrogates, deep nesting and huge numbers: most of
/// them nearly right, so that every check of the reader is reached.
/// </summary>
public static class ClientFrameGen
{
    private static readonly Gen<JsonMember[]> s_none = Gen.Const(Array.Empty<JsonMember>());

    /// <summary>A name a server accepts and that no test uses: 3 to 10 small letters.</summary>
    public static Gen<string> FreshName { get; } = Gen.Char['a', 'z'].Array[3, 10].Select(letters => new string(letters));

    /// <summary>
    /// A frame, or now and then a JSON value that is not an object. With <paramref name="newlines"/> the
    /// whitespace between tokens may hold line feeds, which TCP cannot carry inside a frame.
    /// </summary>
    public static Gen<GeneratedFrame> Frame(bool newlines) => Gen.Frequency(
        (24, ObjectFrame(newlines)),
        (1, JsonGen.Any.Where(value => value.Kind != JsonKind.Object).Select(value => new GeneratedFrame(value, value.Json))));

    private static Gen<GeneratedFrame> ObjectFrame(bool newlines) =>
        from shape in Gen.OneOf([.. ClientFrameShapes.All])
        from type in TypeMembers(shape.Type)
        from id in IdMembers
        from fields in FieldMembers(shape)
        from extra in ExtraMember.Array[0, 3]
        let members = (JsonMember[])[.. type, .. id, .. fields, .. extra]
        from shuffled in Gen.Frequency((2, Gen.Const(members)), (1, Gen.Shuffle(members)))
        from gaps in Whitespace(newlines).Array[(4 * members.Length) + 3]
        select Render(shuffled, gaps);

    /// <summary>The object with whitespace around its tokens: <paramref name="gaps"/> holds 4 per member and 3 more.</summary>
    public static GeneratedFrame Render(IReadOnlyList<JsonMember> members, IReadOnlyList<string> gaps)
    {
        var json = new StringBuilder(gaps[0]).Append('{');
        for (var i = 0; i < members.Count; i++)
        {
            if (i > 0)
            {
                json.Append(',');
            }
            json.Append(gaps[1 + (4 * i)]).Append(members[i].Name.Json).Append(gaps[2 + (4 * i)]).Append(':')
                .Append(gaps[3 + (4 * i)]).Append(members[i].Value.Json).Append(gaps[4 + (4 * i)]);
        }
        if (members.Count == 0)
        {
            json.Append(gaps[1]);
        }
        json.Append('}').Append(gaps[^1]);
        return new GeneratedFrame(JsonValue.ObjectOf(members), json.ToString());
    }

    private static Gen<string> Whitespace(bool newlines) => Gen.Frequency(
        (8, Gen.Const("")),
        (1, Gen.OneOf<char>(newlines ? [' ', '\t', '\r', '\n'] : [' ', '\t', '\r']).Array[1, 3].Select(spaces => new string(spaces))));

    private static Gen<JsonMember[]> TypeMembers(string type) => Gen.Frequency(
        (14, Member("type", JsonGen.Spelled(type))),
        (2, Member("type", Gen.OneOf("typing", "welcome", "PING", "", "Send", "hello ", "ack", "error").SelectMany(JsonGen.Spelled))),
        (1, Member("type", JsonGen.String(0, 8))),
        (1, Member("type", JsonGen.WithLoneSurrogate)),
        (1, Member("type", JsonGen.NotAString)),
        (1, s_none),
        (1, Concat(Member("type", JsonGen.NotAString), Member("type", JsonGen.Spelled(type)))),
        (1, Concat(Member("type", JsonGen.Spelled(type)), Member("type", JsonGen.String(0, 8)))));

    private static Gen<JsonValue> IdValue { get; } = Gen.Frequency(
        (12, JsonGen.String(1, 12, loneSurrogates: false).Select(JsonValue.Of)),
        (2, JsonGen.String(ClientFrameModel.MaxIdCodePoints, ClientFrameModel.MaxIdCodePoints, loneSurrogates: false).Select(JsonValue.Of)),
        (2, JsonGen.String(ClientFrameModel.MaxIdCodePoints + 1, ClientFrameModel.MaxIdCodePoints + 8, loneSurrogates: false).Select(JsonValue.Of)),
        (1, Gen.Const(JsonValue.Of(new JsonString("", "\"\"")))),
        (1, JsonGen.WithLoneSurrogate.Select(JsonValue.Of)),
        (2, JsonGen.NotAString));

    private static Gen<JsonMember[]> IdMembers { get; } = Gen.Frequency(
        (3, s_none),
        (12, Member("id", IdValue)),
        (2, Concat(Member("id", IdValue), Member("id", IdValue))));

    private static Gen<JsonMember[]> FieldMembers(FrameShape shape) =>
        shape.Fields.Aggregate(s_none, (members, field) => Concat(members, Gen.Frequency(
            (2, s_none),
            (10, Member(field.Name, FieldValue(field))),
            (1, Concat(Member(field.Name, FieldValue(field)), Member(field.Name, FieldValue(field)))))));

    private static Gen<JsonValue> FieldValue(FrameField field) => field.Kind switch
    {
        FieldKind.Text => Gen.Frequency(
            (8, FriendlyText(field.Name).SelectMany(JsonGen.Spelled).Select(JsonValue.Of)),
            (4, JsonGen.String(0, 12, loneSurrogates: false).Select(JsonValue.Of)),
            (1, JsonGen.WithLoneSurrogate.Select(JsonValue.Of)),
            (1, Gen.Const(new JsonValue(JsonKind.Null, "null"))),
            (2, JsonGen.NotAString)),
        FieldKind.Int64 or FieldKind.Int32 => Gen.Frequency(
            (8, Gen.Int[-2, 600].Select(n => JsonValue.IntegerOf(n.ToString(System.Globalization.CultureInfo.InvariantCulture)))),
            (3, JsonGen.Number),
            (1, Gen.Const(new JsonValue(JsonKind.Null, "null"))),
            (2, JsonGen.Any)),
        _ => Gen.Frequency(
            (6, Gen.Select(Gen.Frequency((3, FriendlyText("to").SelectMany(JsonGen.Spelled)), (1, JsonGen.String(0, 6))), SeqValue,
                (name, seq) => new JsonMember(name, seq)).Array[0, 3].Select(members => JsonValue.ObjectOf(members))),
            (1, Gen.Const(new JsonValue(JsonKind.Null, "null"))),
            (2, JsonGen.Any)),
    };

    private static Gen<JsonValue> SeqValue { get; } = Gen.Frequency(
        (6, Gen.Int[-1, 50].Select(n => JsonValue.IntegerOf(n.ToString(System.Globalization.CultureInfo.InvariantCulture)))),
        (2, JsonGen.Number),
        (1, JsonGen.Scalar));

    // values a server does something with, so that frames that are read reach its handlers' own checks
    private static Gen<string> FriendlyText(string field) => field switch
    {
        "user" => Gen.Frequency((6, FreshName), (1, Gen.OneOf("ａｄｍｉｎ", "аdmin", "1st", "_x", "a b", "", new string('n', 40)))),
        "room" => Gen.Frequency((4, FreshName.Select(name => "#" + name)), (2, Gen.OneOf("#lobby", "#Lobby", "#ｌｏｂｂｙ", "lobby", "#", "#a b"))),
        "to" => Gen.Frequency((3, Gen.OneOf("#lobby", "#nowhere", "nobody", "", "#")), (2, FreshName)),
        "password" => Gen.Frequency((12, Gen.OneOf("pw", "short", "")), (1, Gen.Const("correct-horse-battery"))),
        "client" => Gen.Const("fuzz/1.0"),
        _ => Gen.Frequency((6, FreshName), (1, Gen.OneOf(" ", "\u200b", "\u0007 bell", "tab\tand\nnewline", new string('x', 4_001)))),
    };

    private static Gen<JsonMember> ExtraMember { get; } = Gen.Select(
        Gen.Frequency(
            (6, JsonGen.String(0, 8, loneSurrogates: false)),
            (1, JsonGen.WithLoneSurrogate),
            (3, Gen.OneOf("Type", "ID", "Id", "TYPE", "Text", "user ", "text", "room", "limit", "v").SelectMany(JsonGen.Spelled))),
        JsonGen.Any,
        (name, value) => new JsonMember(name, value));

    private static Gen<JsonMember[]> Member(string name, Gen<JsonString> value) => Member(name, value.Select(JsonValue.Of));

    private static Gen<JsonMember[]> Member(string name, Gen<JsonValue> value) =>
        Gen.Select(JsonGen.Spelled(name), value, (spelled, v) => new[] { new JsonMember(spelled, v) });

    private static Gen<JsonMember[]> Concat(Gen<JsonMember[]> first, Gen<JsonMember[]> second) =>
        Gen.Select(first, second, (a, b) => (JsonMember[])[.. a, .. b]);
}
