using System.Buffers;
using System.Text;
using CsCheck;
using Parley.Protocol.Frames;
using Parley.Testing.Fuzzing;
using Xunit.Abstractions;

namespace Parley.Protocol.Tests.Fuzzing;

/// <summary>
/// Property-based fuzzing of <see cref="FrameCodec.ReadClientFrame"/>: generated frames, damaged ones and
/// arbitrary bytes. A failure names the seed of its smallest case, which a run with CsCheck_Seed set to it plays alone.
/// </summary>
public class FrameCodecPropertyTests(ITestOutputHelper output)
{
    private static readonly Gen<byte[]> s_arbitrary = Gen.Frequency(
        (2, Gen.Byte.Array[0, 64]),
        (2, Gen.OneOf("{", "}", "[", "]", "\"", ":", ",", " ", "\\", "\\u", "\\ud800", "type", "id", "ping", "send", "null", "1e999", "-0", "\r", "\n", "\u00e9", "😀")
            .Array[0, 24].Select(tokens => Encoding.UTF8.GetBytes(string.Concat(tokens)))));

    private static readonly Gen<byte[]> s_damaged = ByteMutations.Of(ClientFrameGen.Frame(newlines: true).Select(frame => frame.Utf8));

    [Fact]
    public void EveryGeneratedFrameGetsTheAnswerTheProtocolGivesIt()
    {
        ClientFrameGen.Frame(newlines: true).Sample(frame =>
        {
            var expected = frame.Expected;

            var read = Read(frame.Utf8);

            ReadAnswers.AssertIsAnAnswer(read);
            Assert.True((expected.Code, expected.Id, expected.Type) == (read.ErrorCode, read.Id, read.Type),
                $"expected code={expected.Code ?? "(read)"} id={Show.Text(expected.Id)} type={Show.Text(expected.Type)}, got {ReadAnswers.Describe(read)}");
            if (read.Frame is { } readFrame)
            {
                Assert.Equal(FrameFields.Of(expected), FrameFields.Of(readFrame));
            }
        }, iter: FuzzRuns.Cases(20_000), print: frame => frame.Json, writeLine: output.WriteLine);
    }

    [Fact]
    public void NoBytesThrowOutOfTheCodecAndEveryAnswerIsAFrameOrAReadFailure()
    {
        Gen.Frequency((1, s_arbitrary), (3, s_damaged)).Sample(bytes =>
        {
            ReadAnswers.AssertIsAnAnswer(Read(bytes));
        }, iter: FuzzRuns.Cases(20_000), print: bytes => Show.Bytes(bytes), writeLine: output.WriteLine);
    }

    [Fact]
    public void AFrameCutShortOrFollowedByMoreThanWhitespaceIsABadFrameWithoutId()
    {
        var objects = ClientFrameGen.Frame(newlines: true).Where(frame => frame.Root.Kind == Testing.Fuzzing.JsonKind.Object).Select(frame => frame.Utf8);
        var cut = Gen.Select(objects, Gen.Int.Positive, (bytes, at) => bytes[..(at % Array.LastIndexOf(bytes, (byte)'}'))]);
        var trailed = Gen.Select(objects, Gen.Byte.Where(b => b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')), Gen.Byte.Array[0, 8],
            (bytes, first, more) => (byte[])[.. bytes, first, .. more]);

        Gen.Frequency((1, cut), (1, trailed)).Sample(bytes =>
        {
            var read = Read(bytes);

            Assert.True((ErrorTable.BadFrame, (string?)null) == (read.ErrorCode, read.Id), ReadAnswers.Describe(read));
        }, iter: FuzzRuns.Cases(5_000), print: bytes => Show.Bytes(bytes), writeLine: output.WriteLine);
    }

    [Fact]
    public void TheCodecGivesOneAnswerHoweverTheBytesAreSplitIntoSegments()
    {
        var inputs = Gen.Frequency((1, s_arbitrary), (2, s_damaged), (2, ClientFrameGen.Frame(newlines: true).Select(frame => frame.Utf8)));
        Gen.Select(inputs, Gen.Int.Positive.Array[1, 6]).Sample((bytes, cuts) =>
        {
            var whole = Read(bytes);

            var split = FrameCodec.ReadClientFrame(Segments(bytes, cuts));

            Assert.Equal(ReadAnswers.Describe(whole), ReadAnswers.Describe(split));
        }, iter: FuzzRuns.Cases(5_000), print: input => $"{Show.Bytes(input.Item1)} cut at {string.Join(",", input.Item2)}", writeLine: output.WriteLine);
    }

    [Fact]
    public void AValidFrameWrittenByTheCodecIsReadBackEqual()
    {
        ValidClientFrameGen.Frame.Sample(frame =>
        {
            var json = FrameCodec.ToJson(frame);

            var read = Read(Encoding.UTF8.GetBytes(json));

            Assert.True(read.Frame is not null, ReadAnswers.Describe(read));
            Assert.Equal(frame.GetType(), read.Frame.GetType());
            Assert.Equal((frame.Type, frame.Id), (read.Frame.Type, read.Frame.Id));
            Assert.Equal(FrameFields.Of(frame), FrameFields.Of(read.Frame));
            Assert.Equal(json, FrameCodec.ToJson(read.Frame));
        }, iter: FuzzRuns.Cases(10_000), print: frame => Show.Text(FrameCodec.ToJson(frame)), writeLine: output.WriteLine);
    }

    private static ClientFrameReadResult Read(byte[] bytes) => FrameCodec.ReadClientFrame(new ReadOnlySequence<byte>(bytes));

    // the bytes as consecutive segments, cut at the given offsets (taken modulo the length; empty segments included)
    private static ReadOnlySequence<byte> Segments(byte[] bytes, int[] cuts)
    {
        var offsets = cuts.Select(cut => cut % (bytes.Length + 1)).Order().ToArray();
        var parts = new List<byte[]>();
        var start = 0;
        foreach (var offset in offsets)
        {
            parts.Add(bytes[start..offset]);
            start = offset;
        }
        parts.Add(bytes[start..]);
        return TestSegment.Sequence([.. parts]);
    }
}
