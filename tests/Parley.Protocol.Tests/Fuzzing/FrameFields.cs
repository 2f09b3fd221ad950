using System.Globalization;
using Parley.Protocol.Frames;
using Parley.Testing.Fuzzing;

namespace Parley.Protocol.Tests.Fuzzing;

/// <summary>A frame's fields as one line of text, so that what was read and what was expected compare in one assertion that shows both.</summary>
internal static class FrameFields
{
    /// <summary>The fields a frame was read with, those that are not null, by name.</summary>
    public static string Of(ClientFrame frame) => Describe(frame switch
    {
        HelloFrame hello => Fields(("user", hello.User), ("password", hello.Password), ("token", hello.Token), ("client", hello.Client),
            ("resume", hello.Resume is null ? null : new SortedDictionary<string, long>(hello.Resume, StringComparer.Ordinal))),
        RegisterFrame register => Fields(("password", register.Password)),
        SendFrame send => Fields(("to", send.To), ("text", send.Text)),
        JoinFrame join => Fields(("room", join.Room)),
        LeaveFrame leave => Fields(("room", leave.Room)),
        WhoRequestFrame who => Fields(("room", who.Room)),
        HistoryRequestFrame history => Fields(("to", history.To), ("before", history.Before), ("after", history.After), ("limit", (long?)history.Limit)),
        QuitFrame quit => Fields(("reason", quit.Reason)),
        _ => Fields(),
    });

    /// <summary>The fields the protocol says a frame is read with.</summary>
    public static string Of(ExpectedRead expected) => Describe(expected.Fields);

    private static Dictionary<string, object> Fields(params (string Name, object? Value)[] fields) =>
        fields.Where(field => field.Value is not null).ToDictionary(field => field.Name, field => field.Value!);

    private static string Describe(IReadOnlyDictionary<string, object> fields) =>
        string.Join("; ", fields.OrderBy(field => field.Key, StringComparer.Ordinal).Select(field => $"{field.Key}={Value(field.Value)}"));

    private static string Value(object value) => value switch
    {
        string text => Show.Text(text),
        IEnumerable<KeyValuePair<string, long>> map => "{" + string.Join(",", map.OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => $"{Show.Text(pair.Key)}:{pair.Value.ToString(CultureInfo.InvariantCulture)}")) + "}",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
