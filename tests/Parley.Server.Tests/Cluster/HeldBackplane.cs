using Microsoft.AspNetCore.Builder;
using Parley.Server.Cluster;

namespace Parley.Server.Tests.Cluster;

/// <summary>
/// A node's real Redis backplane with one thing a test controls: while held, what the other nodes
/// publish (and the node's own envelopes coming back) waits before the node hears it, in the order
/// Redis gave it, as when the node's handler falls behind. Everything else goes straight to Redis.
/// </summary>
public sealed class HeldBackplane(IClusterBackplane inner) : IClusterBackplane
{
    private readonly Lock _gate = new();
    private readonly Queue<byte[]> _waiting = new();
    private readonly SemaphoreSlim _heldOne = new(0);
    private Action<byte[]> _onPublished = _ => { };
    private bool _holding;

    /// <summary>Wraps the backplane registered in <paramref name="builder"/>; the wrapper is stored in <paramref name="held"/> once the node builds it.</summary>
    public static void Wrap(WebApplicationBuilder builder, TaskCompletionSource<HeldBackplane> held) =>
        ServiceWrapping.WrapSingleton<IClusterBackplane, HeldBackplane>(builder, backplane => new HeldBackplane(backplane), held);

    /// <summary>From now on the node hears nothing until <see cref="Release"/>.</summary>
    public void Hold()
    {
        lock (_gate)
        {
            _holding = true;
        }
    }

    /// <summary>Hands the node what waited, in order, and lets what follows through.</summary>
    public void Release()
    {
        lock (_gate)
        {
            while (_waiting.TryDequeue(out var payload))
            {
                _onPublished(payload);
            }
            _holding = false;
        }
    }

    /// <summary>Completes once one more envelope waits (each call awaits the next one held).</summary>
    public async Task HeldOneAsync()
    {
        if (!await _heldOne.WaitAsync(Parley.Testing.Waits.Frame))
        {
            throw new TimeoutException("The node heard nothing more from the backplane.");
        }
    }

    public string NodeName => inner.NodeName;

    public bool IsConnected => inner.IsConnected;

    public Task StartAsync(Action<byte[]> onPublished, Action onReconnected, CancellationToken cancellationToken = default)
    {
        _onPublished = onPublished;
        return inner.StartAsync(Heard, onReconnected, cancellationToken);
    }

    private void Heard(byte[] payload)
    {
        lock (_gate)
        {
            if (_holding)
            {
                _waiting.Enqueue(payload);
                _heldOne.Release();
                return;
            }
            _onPublished(payload);
        }
    }

    public bool Publish(byte[] payload) => inner.Publish(payload);

    public Task<bool> TryClaimNameAsync(string userKey, string user, string holder, CancellationToken cancellationToken = default) =>
        inner.TryClaimNameAsync(userKey, user, holder, cancellationToken);

    public void ReleaseName(string userKey, string holder) => inner.ReleaseName(userKey, holder);

    public void SetRoomMember(string room, string userKey, string user, bool present) => inner.SetRoomMember(room, userKey, user, present);

    public Task<IReadOnlyList<string>> RoomMembersAsync(string room, CancellationToken cancellationToken = default) =>
        inner.RoomMembersAsync(room, cancellationToken);

    public Task<IReadOnlyDictionary<string, int>> RoomCountsAsync(CancellationToken cancellationToken = default) =>
        inner.RoomCountsAsync(cancellationToken);

    public Task<string?> FindNameAsync(string userKey, CancellationToken cancellationToken = default) => inner.FindNameAsync(userKey, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        _heldOne.Dispose();
    }
}
