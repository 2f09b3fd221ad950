using System.Diagnostics;
using Parley.Bench.Net;

namespace Parley.Bench.Load;

internal sealed partial class LoadRun
{
    /// <summary>Warm-up (not measured), the measured phase, then the drain until deliveries stop.</summary>
    private async Task SendPhaseAsync(RunResult result, CancellationToken cancellationToken)
    {
        var o = _options;
        var senders = _users.Where(u => u.Slot >= 0).ToArray();
        var warmUp = o.WarmUpTime;
        var measured = TimeSpan.FromSeconds(o.Duration);
        _sending = true;
        Thread? pacer = null;
        if (Reactive)
        {
            foreach (var sender in senders)
            {
                for (var i = 0; i < o.Window; i++)
                {
                    sender.SendMessage(sender.RoomName, o.RunId, sender.Slot, o.Size);
                }
            }
        }
        else
        {
            pacer = new Thread(() => Pace(senders, o.Rate / o.ShardCount)) { IsBackground = true, Name = "pacer", Priority = ThreadPriority.AboveNormal };
            pacer.Start();
        }
        await Task.Delay(warmUp, cancellationToken).ConfigureAwait(false);

        _ackLatency.Enabled = _deliveryLatency.Enabled = true;
        var delivered0 = Interlocked.Read(ref _delivered);
        var acked0 = senders.Sum(s => s.Acked);
        var cpu0 = o.ServerPids.Sum(ProcessStats.CpuSeconds);
        var clock = Stopwatch.StartNew();
        await Task.Delay(measured, cancellationToken).ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;
        var cpu1 = o.ServerPids.Sum(ProcessStats.CpuSeconds);
        var delivered1 = Interlocked.Read(ref _delivered);
        var acked1 = senders.Sum(s => s.Acked);
        _ackLatency.Enabled = _deliveryLatency.Enabled = false;
        _sending = false;
        pacer?.Join();

        result.Seconds = seconds;
        result.DeliveriesPerSecond = (delivered1 - delivered0) / seconds;
        result.MessagesPerSecond = (acked1 - acked0) / seconds;
        result.ServerCpuSeconds = cpu1 - cpu0;
        result.ServerCpuPerMillion = result.ServerCpuSeconds / Math.Max(1, delivered1 - delivered0) * 1e6;
        result.Ack = LatencySummary.From(_ackLatency.Total(), keepHistogram: true);
        result.Delivery = LatencySummary.From(_deliveryLatency.Total(), keepHistogram: true);
        await DrainAsync(senders, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends at a fixed rate over all senders in turn, so each sends at rate / senders.</summary>
    private void Pace(UserConnection[] senders, double rate)
    {
        var clock = Stopwatch.StartNew();
        long sent = 0;
        var next = 0;
        while (_sending)
        {
            var due = (long)(clock.Elapsed.TotalSeconds * rate);
            while (sent < due && _sending)
            {
                var sender = senders[next];
                next = (next + 1) % senders.Length;
                sender.SendMessage(sender.RoomName, _options.RunId, sender.Slot, _options.Size);
                sent++;
            }
            Thread.Sleep(1);
        }
    }

    /// <summary>Waits for every ack and then for deliveries to stop (a second of quiet), within the drain timeout.</summary>
    private async Task DrainAsync(UserConnection[] senders, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        var limit = TimeSpan.FromSeconds(_options.DrainTimeout);
        while (deadline.Elapsed < limit && senders.Any(s => s.Outstanding > 0))
        {
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
        while (deadline.Elapsed < limit
            && Stopwatch.GetElapsedTime(Volatile.Read(ref _lastDeliveryAt)) < TimeSpan.FromSeconds(1))
        {
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Tally(RunResult result)
    {
        var o = _options;
        var total = o.Rooms * o.Senders;
        result.SentBySender = new long[total];
        result.ReceiversBySender = new long[total];
        result.ReceivedBySender = new long[total];
        foreach (var sender in _users)
        {
            if (sender.Slot >= 0)
            {
                var room = sender.User / o.RoomSize;
                result.SentBySender[room * o.Senders + sender.Slot] = sender.Sent;
                result.Sent += sender.Sent;
                result.Acked += sender.Acked;
            }
        }
        foreach (var user in _users)
        {
            var tally = user.Tally!;
            result.Doubled += tally.Doubled;
            result.OutOfOrder += tally.OutOfOrder;
            for (var slot = 0; slot < o.Senders; slot++)
            {
                if (slot == tally.OwnSlot)
                {
                    continue;
                }
                result.ReceiversBySender[tally.Room * o.Senders + slot]++;
                result.ReceivedBySender[tally.Room * o.Senders + slot] += tally.CountFrom(slot);
            }
        }
        result.Delivered = Interlocked.Read(ref _delivered);
        result.Errors = Interlocked.Read(ref _errors);
        result.FirstError = _firstError;
        Verdict(result);
    }

    /// <summary>Lost = what every receiver should have had from every sender of its room, less what came.</summary>
    public static void Verdict(RunResult result)
    {
        long lost = 0;
        for (var s = 0; s < result.SentBySender.Length; s++)
        {
            lost += Math.Max(0, result.SentBySender[s] * result.ReceiversBySender[s] - result.ReceivedBySender[s]);
        }
        result.Lost = lost;
        result.Failed = result.Lost > 0 || result.Doubled > 0 || result.OutOfOrder > 0 || result.Errors > 0
            || (result.Sent > 0 && result.Acked < result.Sent);
    }
}
