using System.Text.Json;
using Parley.Testing;
using Parley.Testing.Fuzzing;

namespace Parley.Server.Tests.Fuzzing;

/// <summary>What the server must have sent back for a <see cref="WireCase"/>, by the protocol's rules.</summary>
internal static class WireAnswers
{
    /// <summary>
    /// Asserts that every error has one of the table's codes and a sentence; that every item owed a reply
    /// got exactly one with its id (a <c>quit</c>, and the closing ping, at most one), and nothing else
    /// came back with an id; that only <c>frame_too_large</c>, as the last frame, or a <c>quit</c> after a
    /// <c>welcome</c> closed the connection, and that after a <c>welcome</c> the closing quit did close it.
    /// After a <c>frame_too_large</c> a reply may be missing (the connection closed with sends in flight)
    /// but none may come twice.
    /// </summary>
    public static void Assert(WireCase play, List<JsonElement> frames, bool closed)
    {
        var shown = $"\nframes: {string.Join(" ", frames.Select(frame => frame.GetRawText()))}";
        foreach (var error in frames.Where(frame => frame.Is("error")))
        {
            Xunit.Assert.True(error.Str("code") is { } code && ErrorTable.Codes.Contains(code), $"an error with a code of the table: {error.GetRawText()}{shown}");
            Xunit.Assert.False(string.IsNullOrWhiteSpace(error.Str("message")), $"an error with a sentence: {error.GetRawText()}{shown}");
        }

        var tooLarge = frames.FindIndex(frame => frame.Is("error") && frame.Str("code") == ErrorTable.FrameTooLarge);
        var welcomed = frames.Any(frame => frame.Is("welcome"));
        if (tooLarge >= 0)
        {
            Xunit.Assert.True(closed && tooLarge == frames.Count - 1, $"frame_too_large is the last frame before the connection closes{shown}");
        }
        else if (closed)
        {
            Xunit.Assert.True(welcomed, $"without frame_too_large, only a quit after hello closes the connection{shown}");
        }
        else
        {
            Xunit.Assert.False(welcomed, $"after a welcome, the closing quit closes the connection{shown}");
        }

        var owed = Count(play.Items.Where(item => item is { Id: not null, ReplyOptional: false }).Select(item => item.Id!));
        var optional = Count([.. play.Items.Where(item => item is { Id: not null, ReplyOptional: true }).Select(item => item.Id!), WireExchange.Sentinel]);
        var replies = Count(frames.Select(frame => frame.Id()).OfType<string>());
        foreach (var id in owed.Keys.Union(optional.Keys).Union(replies.Keys))
        {
            var (least, most, got) = (owed.GetValueOrDefault(id), owed.GetValueOrDefault(id) + optional.GetValueOrDefault(id), replies.GetValueOrDefault(id));
            Xunit.Assert.True(got <= most && (tooLarge >= 0 || got >= least),
                $"id {Show.Text(id)} is owed {least} repl{(least == 1 ? "y" : "ies")} (up to {most}), got {got}{shown}");
        }
    }

    private static Dictionary<string, int> Count(IEnumerable<string> ids) =>
        ids.GroupBy(id => id, StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal);
}
