using System.Text;

namespace Parley.Testing.Fuzzing;

/// <summary>A client frame as a generator wrote it: the JSON value and its text, whitespace and all.</summary>
/// <param name="Root">What was written: an object for a frame, or any other value for what is not one.</param>
/// <param name="Json">The text, with the whitespace between the frame's tokens.</param>
public sealed record GeneratedFrame(JsonValue Root, string Json)
{
    /// <summary>The frame's bytes.</summary>
    public byte[] Utf8 => Encoding.UTF8.GetBytes(Json);

    /// <summary>What the protocol says reading it gives.</summary>
    public ExpectedRead Expected => ClientFrameModel.Expect(Root);

    /// <summary>The text, as a failing case shows it.</summary>
    public override string ToString() => Json;
}
