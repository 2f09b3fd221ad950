using System.Numerics;

namespace Parley.Testing.Fuzzing;

/// <summary>
/// The protocol's rules for reading a client frame, applied to a generated one: which of the error
/// table's read failures it gets, with which <c>id</c>, or which fields it is read with. Written from
/// docs/protocol.md ("Requests and replies", "Errors", "Decisions"), not from the codec.
/// </summary>
/// <remarks>
/// The order of the checks: what is not JSON (nested past the reader's 64 levels, or a member name or
/// a <c>type</c> that is not Unicode) is a <c>bad_frame</c> without id, as is an object without a string
/// <c>type</c>, which carries the id only when it is a valid one; then a bad <c>id</c> (not a string, a lone
/// surrogate in it, empty, over 64 code points) is <c>invalid_field</c> without id; then an unknown type;
/// then a known field of the wrong kind; then a required field absent or null. Of repeated members the
/// last counts, but any one of the wrong kind refuses the frame. Names are matched exactly, after escapes.
/// </remarks>
public static class ClientFrameModel
{
    /// <summary>How deep a reader nests arrays and objects, the frame's own object included.</summary>
    public const int MaxDepth = 64;

    /// <summary>The longest <c>id</c>, in code points.</summary>
    public const int MaxIdCodePoints = 64;

    /// <summary>What reading <paramref name="root"/> as a client frame should give.</summary>
    public static ExpectedRead Expect(JsonValue root)
    {
        if (root.Kind != JsonKind.Object || root.Depth > MaxDepth
            || root.Members.Any(member => !member.Name.IsWellFormed || (member.Name.Value == "type" && member.Value.String is { IsWellFormed: false })))
        {
            return ExpectedRead.Refused(ErrorTable.BadFrame, null, null);
        }

        string? type = null;
        JsonString? id = null;
        var badId = false;
        foreach (var member in root.Members)
        {
            if (member.Name.Value == "type" && member.Value.String is { } typeName)
            {
                type = typeName.Value;
            }
            else if (member.Name.Value == "id")
            {
                if (member.Value.String is { IsWellFormed: true } text)
                {
                    id = text;
                }
                else
                {
                    badId = true;
                }
            }
        }
        var validId = !badId && id is not null && IsValidId(id) ? id.Value : null;
        if (type is null)
        {
            return ExpectedRead.Refused(ErrorTable.BadFrame, validId, null);
        }
        if (badId || (id is not null && validId is null))
        {
            return ExpectedRead.Refused(ErrorTable.InvalidField, null, type);
        }
        if (ClientFrameShapes.Find(type) is not { } shape)
        {
            return ExpectedRead.Refused(ErrorTable.UnknownType, validId, type);
        }

        var fields = new Dictionary<string, object?>();
        foreach (var member in root.Members)
        {
            if (shape.Fields.FirstOrDefault(field => field.Name == member.Name.Value) is not { } field)
            {
                continue;
            }
            if (!TryRead(field.Kind, member.Value, out var value))
            {
                return ExpectedRead.Refused(ErrorTable.InvalidField, validId, type);
            }
            fields[field.Name] = value;
        }
        if ((shape.IdRequired && validId is null) || shape.Fields.Any(field => field.Required && fields.GetValueOrDefault(field.Name) is null))
        {
            return ExpectedRead.Refused(ErrorTable.MissingField, validId, type);
        }
        return new ExpectedRead(null, validId, type, fields.Where(pair => pair.Value is not null).ToDictionary(pair => pair.Key, pair => pair.Value!));
    }

    /// <summary>True for an id of 1 to 64 code points that is Unicode.</summary>
    public static bool IsValidId(JsonString id) => id.IsWellFormed && id.CodePoints is >= 1 and <= MaxIdCodePoints;

    private static bool TryRead(FieldKind kind, JsonValue value, out object? read)
    {
        read = null;
        if (value.Kind == JsonKind.Null)
        {
            return true;
        }
        switch (kind)
        {
            case FieldKind.Text when value.String is { IsWellFormed: true } text:
                read = text.Value;
                return true;
            case FieldKind.Int64 when value.Kind == JsonKind.Integer && Fits(value.Integer, long.MinValue, long.MaxValue):
            case FieldKind.Int32 when value.Kind == JsonKind.Integer && Fits(value.Integer, int.MinValue, int.MaxValue):
                read = (long)value.Integer;
                return true;
            case FieldKind.SeqMap when value.Kind == JsonKind.Object
                && value.Members.All(member => member.Name.IsWellFormed && member.Value.Kind == JsonKind.Integer && Fits(member.Value.Integer, long.MinValue, long.MaxValue)):
                var map = new SortedDictionary<string, long>(StringComparer.Ordinal);
                foreach (var member in value.Members)
                {
                    map[member.Name.Value] = (long)member.Value.Integer;
                }
                read = map;
                return true;
            default:
                return false;
        }
    }

    private static bool Fits(BigInteger value, long min, long max) => value >= min && value <= max;
}
