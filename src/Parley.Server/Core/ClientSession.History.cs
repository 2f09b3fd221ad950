using Parley.Protocol;
using Parley.Protocol.Frames;

namespace Parley.Server.Core;

public sealed partial class ClientSession
{
    private async Task HistoryAsync(HistoryRequestFrame request)
    {
        if (await ResolveConversationAsync(request.Id, request.To!).ConfigureAwait(false) is not { } conversation)
        {
            return;
        }
        if (request.Limit is < 1)
        {
            Fail(request.Id, ErrorCodes.InvalidField, "\"limit\" must be at least 1.");
            return;
        }
        if (request.Before is < 0 || request.After is < 0)
        {
            Fail(request.Id, ErrorCodes.InvalidField, "\"before\" and \"after\" must be 0 or more.");
            return;
        }
        var limit = Math.Min(request.Limit ?? ProtocolLimits.DefaultHistoryLimit, ProtocolLimits.MaxHistoryLimit);
        if (conversation.Key.Length == 0)
        {
            // nobody goes by that name: there is no conversation with them, as with someone never written to
            Reply(new HistoryFrame { Id = request.Id, To = conversation.ShownAs, Messages = [], More = false });
            return;
        }
        var page = await _server.Store.ReadHistoryAsync(conversation.Key, request.Before, request.After, limit).ConfigureAwait(false);
        var messages = new List<MessageFrame>(page.Messages.Count);
        foreach (var message in page.Messages)
        {
            messages.Add(ToFrame(message));
        }
        Reply(new HistoryFrame { Id = request.Id, To = conversation.ShownAs, Messages = messages, More = page.More });
    }
}
