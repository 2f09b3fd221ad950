namespace Parley.Testing.Fuzzing;

/// <summary>What reading a client frame should give: the frame's fields, or the error that refuses it.</summary>
/// <param name="Code">The error's code, or null when the frame is read.</param>
/// <param name="Id">The <c>id</c> an answer carries back, or null when it may carry none.</param>
/// <param name="Type">The frame's string <c>type</c>, known or not; null for a <c>bad_frame</c>.</param>
/// <param name="Fields">
/// For a frame that is read, its fields that are not null, by name: a <see cref="string"/>, a
/// <see cref="long"/> (for either kind of integer), or a map of <see cref="string"/> to <see cref="long"/>.
/// </param>
public sealed record ExpectedRead(string? Code, string? Id, string? Type, IReadOnlyDictionary<string, object> Fields)
{
    /// <summary>A refusal.</summary>
    public static ExpectedRead Refused(string code, string? id, string? type) =>
        new(code, id, type, new Dictionary<string, object>());
}
