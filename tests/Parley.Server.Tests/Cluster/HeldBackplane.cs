using Microsoft.AspNetCore.Builder;
using Parley.Server.Cluster;

namespace Parley.Server.Tests.Cluster;

/// <summary>
/// A node's real Redis backplane with two things a test controls. While held, what the other nodes
/// publish (and the node's own envelopes coming back) waits before the node hears it, in the order
/// Redis gave it, as when the node's handler falls behind. While records are held, the node's room
/// memberships reach Redis only when the node asks that they be recorded, as fire-and-forget commands
/// still on their way do. Everything else goes straight to Redis.
/// </summary>
public sealed class HeldBackplane(IClusterBackplane inner) : IClusterBackplane
{
    private readonly Lock _gate = new();
    private readonly Queue<byte[]> _waiting = new();
    private readonly SemaphoreSlim _heldOne = new(0);
    private Action<byte[]> _onPublished = _ => { };
    private readonly Queue<(string Room, string UserKey, string User, bool Present)> _records = new();
    private bool _holding;
    private bool _holdingRecords;

    /// <summary>Starts two nodes on <paramref name="engines"/>, node 2's backplane wrapped in one of these; returns both.</summary>
    public static async Task<(TwoNodeCluster Cluster, HeldBackplane Node2)> StartClusterAsync(ClusterEngines engines)
    {
        var held = new TaskCompletionSource<HeldBackplane>(TaskCreationOptions.RunContinuationsAsynchronously);
        var cluster = await TwoNodeCluster.StartAsync(engines, configureNode: (node, builder) =>
        {
            if (node == 2)
            {
                Wrap(builder, held);
            }
        });
        return (cluster, await held.Task.WaitAsync(Parley.Testing.Waits.Frame));
    }

    /// <summary>Wraps the backplane registered in <paramref name="builder"/>; the wrapper is stored in <paramref name="held"/> once the node builds it.</summary>
    private static void Wrap(WebApplicationBuilder builder, TaskCompletionSource<HeldBackplane> held) =>
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

    public bool Publish(string topic, byte[] payload) => inner.Publish(topic, payload);

    public Task SubscribeAsync(string topic) => inner.SubscribeAsync(topic);

    public Task UnsubscribeAsync(string topic) => inner.UnsubscribeAsync(topic);

    public Task<NameClaim> TryClaimNameAsync(string nameKey, string holder, string identity, string details, bool takeOver, CancellationToken cancellationToken = default) =>
        inner.TryClaimNameAsync(nameKey, holder, identity, details, takeOver, cancellationToken);

    public void ReleaseName(string nameKey, string holder, TimeSpan keep) => inner.ReleaseName(nameKey, holder, keep);

    /// <inheritdoc />
    public void WatchLostNames(Action<string, string> onLost) => inner.WatchLostNames(onLost);

    /// <summary>From now on the node's room memberships wait until it asks for them to be recorded.</summary>
    public void HoldRecords()
    {
        lock (_gate)
        {
            _holdingRecords = true;
        }
    }

    public void SetRoomMember(string room, string userKey, string user, bool present)
    {
        lock (_gate)
        {
            if (_holdingRecords)
            {
                _records.Enqueue((room, userKey, user, present));
                return;
            }
        }
        inner.SetRoomMember(room, userKey, user, present);
    }

    public Task RecordedAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            while (_records.TryDequeue(out var record))
            {
                inner.SetRoomMember(record.Room, record.UserKey, record.User, record.Present);
            }
        }
        return inner.RecordedAsync(cancellationToken);
    }

    public Task<IReadOnlyList<string>> RoomMembersAsync(string room, CancellationToken cancellationToken = default) =>
        inner.RoomMembersAsync(room, cancellationToken);

    public Task<IReadOnlyDictionary<string, int>> RoomCountsAsync(CancellationToken cancellationToken = default) =>
        inner.RoomCountsAsync(cancellationToken);

    public Task<HeldName?> FindNameAsync(string nameKey, CancellationToken cancellationToken = default) => inner.FindNameAsync(nameKey, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        _heldOne.Dispose();
    }
}
