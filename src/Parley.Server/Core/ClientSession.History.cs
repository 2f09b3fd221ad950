using Parley.Protocol;
using Parley.Protocol.Frames;

namespace Parley.Server.Core;

public sealed partial class ClientSession
{
    // what a connection may still hold when its next page of history is made: a few ordinary frames' worth
    private const long HistoryDrainBytes = 64 * 1024;

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
        // a page is made only once the client has taken most of what it was sent: one that asks and does not
        // read holds up its own requests, not the server's memory
        var drained = Connection.WhenHoldingAtMostAsync(HistoryDrainBytes);
        if (!drained.IsCompleted)
        {
            _server.Metrics.HistoryWaited();
            await drained.ConfigureAwait(false);
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
