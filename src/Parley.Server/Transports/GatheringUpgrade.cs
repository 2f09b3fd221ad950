using Microsoft.AspNetCore.Http.Features;

namespace Parley.Server.Transports;

/// <summary>
/// Kestrel's upgrade of a request to a WebSocket, with a <see cref="GatheringStream"/> over the upgraded
/// connection. Set on the request before the WebSocket middleware reads it, so that the middleware does the
/// handshake with every policy it applies, and the WebSocket it makes writes through the gathering stream.
/// </summary>
internal sealed class GatheringUpgrade(IHttpUpgradeFeature inner) : IHttpUpgradeFeature
{
    /// <summary>The stream under the WebSocket, once upgraded.</summary>
    public GatheringStream? Stream { get; private set; }

    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public async Task<Stream> UpgradeAsync() => Stream = new GatheringStream(await inner.UpgradeAsync().ConfigureAwait(false));

    /// <summary>Puts a gathering upgrade on <paramref name="http"/>'s features, in place of Kestrel's.</summary>
    public static void Install(HttpContext http)
    {
        if (http.Features.Get<IHttpUpgradeFeature>() is { } upgrade and not GatheringUpgrade)
        {
            http.Features.Set<IHttpUpgradeFeature>(new GatheringUpgrade(upgrade));
        }
    }
}
