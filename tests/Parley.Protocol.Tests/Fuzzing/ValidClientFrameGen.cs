using CsCheck;
using Parley.Protocol.Frames;
using Parley.Testing.Fuzzing;

namespace Parley.Protocol.Tests.Fuzzing;

/// <summary>Client frames of every type that the codec must read: valid ids, every required field, any Unicode text.</summary>
internal static class ValidClientFrameGen
{
    private static readonly Gen<string> s_text = JsonGen.String(0, 16, loneSurrogates: false).Select(text => text.Value);

    private static readonly Gen<string?> s_optionalText = Gen.Frequency((1, Gen.Const((string?)null)), (3, s_text.Select(text => (string?)text)));

    private static readonly Gen<string> s_id = JsonGen.String(1, ClientFrameModel.MaxIdCodePoints, loneSurrogates: false).Select(id => id.Value);

    private static readonly Gen<string?> s_optionalId = Gen.Frequency((1, Gen.Const((string?)null)), (3, s_id.Select(id => (string?)id)));

    private static readonly Gen<long?> s_optionalSeq = Gen.Frequency((1, Gen.Const((long?)null)), (3, Gen.Long.Select(seq => (long?)seq)));

    private static readonly Gen<Dictionary<string, long>?> s_resume = Gen.Frequency(
        (1, Gen.Const((Dictionary<string, long>?)null)),
        (3, Gen.Select(s_text, Gen.Long).Array[0, 4].Select(pairs =>
        {
            var resume = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var (name, seq) in pairs)
            {
                resume[name] = seq;
            }
            return (Dictionary<string, long>?)resume;
        })));

    /// <summary>A valid frame of any type.</summary>
    public static Gen<ClientFrame> Frame { get; } = Gen.Frequency<ClientFrame>(
        (1, Gen.Select(s_optionalId, s_text, s_optionalText, s_optionalText, s_optionalText, s_resume,
            (id, user, password, token, client, resume) => new HelloFrame { Id = id, User = user, Password = password, Token = token, Client = client, Resume = resume })),
        (1, Gen.Select(s_optionalId, s_text, (id, password) => new RegisterFrame { Id = id, Password = password })),
        (1, s_optionalId.Select(id => new LogoutFrame { Id = id })),
        (1, Gen.Select(s_id, s_text, s_text, (id, to, text) => new SendFrame { Id = id, To = to, Text = text })),
        (1, Gen.Select(s_optionalId, s_text, (id, room) => new JoinFrame { Id = id, Room = room })),
        (1, Gen.Select(s_optionalId, s_text, (id, room) => new LeaveFrame { Id = id, Room = room })),
        (1, Gen.Select(s_optionalId, s_text, s_optionalSeq, s_optionalSeq, Gen.Frequency((1, Gen.Const((int?)null)), (3, Gen.Int.Select(limit => (int?)limit))),
            (id, to, before, after, limit) => new HistoryRequestFrame { Id = id, To = to, Before = before, After = after, Limit = limit })),
        (1, Gen.Select(s_optionalId, s_text, (id, room) => new WhoRequestFrame { Id = id, Room = room })),
        (1, s_optionalId.Select(id => new RoomsRequestFrame { Id = id })),
        (1, s_optionalId.Select(id => new PingFrame { Id = id })),
        (1, Gen.Select(s_optionalId, s_optionalText, (id, reason) => new QuitFrame { Id = id, Reason = reason })));
}
