using Parley.Testing.Fuzzing;

namespace Parley.Protocol.Tests.Fuzzing;

/// <summary>What every answer of the codec must be, whatever it was given.</summary>
internal static class ReadAnswers
{
    /// <summary>
    /// Asserts that <paramref name="read"/> is a frame or one of the table's read failures with a sentence,
    /// that it carries an id only when the id is valid, and that its frame and type agree with it.
    /// </summary>
    public static void AssertIsAnAnswer(ClientFrameReadResult read)
    {
        Assert.True(read.Frame is null != read.ErrorCode is null, $"a frame or an error, not both nor neither: {Describe(read)}");
        if (read.Id is { } id)
        {
            var text = new JsonString(id, "");
            Assert.True(text.IsWellFormed && text.CodePoints is >= 1 and <= ClientFrameModel.MaxIdCodePoints, $"an id is echoed only when valid: {Describe(read)}");
        }
        if (read.Frame is { } frame)
        {
            Assert.Equal(read.Id, frame.Id);
            Assert.Equal(read.Type, frame.Type);
            Assert.NotNull(ClientFrameShapes.Find(frame.Type));
            Assert.Null(frame.FirstMissingField());
            return;
        }
        Assert.Contains(read.ErrorCode!, ErrorTable.ReadFailures);
        Assert.False(string.IsNullOrWhiteSpace(read.ErrorMessage), $"an error carries a sentence: {Describe(read)}");
        // the server tells a frame (a string type) from what is not one by the type, before hello
        Assert.True(read.ErrorCode == ErrorTable.BadFrame == read.Type is null, $"a type exactly when the error is not bad_frame: {Describe(read)}");
    }

    /// <summary>The answer in one line.</summary>
    public static string Describe(ClientFrameReadResult read) =>
        $"code={read.ErrorCode ?? "(read)"} id={Show.Text(read.Id)} type={Show.Text(read.Type)} message={read.ErrorMessage}"
        + (read.Frame is { } frame ? $" fields: {FrameFields.Of(frame)}" : "");
}
