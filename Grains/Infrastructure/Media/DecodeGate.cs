using Microsoft.Extensions.Options;
using WgStream.Gateways.Media;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Grains.Infrastructure.Media;

/// <summary>
/// Admits image decodes on this node: one runs when a slot (<see cref="MediaOptions.MaxConcurrentDecodes"/>)
/// and its pixel bytes (out of <see cref="MediaOptions.DecodeBudgetBytes"/>) are both free. Waiters are
/// served in arrival order, so a large image is not starved by a stream of small ones; one that has not
/// been admitted within <see cref="MediaOptions.DecodeWaitTimeout"/> is refused with <c>BUSY</c> rather
/// than queued without end while its upload holds a request open. A singleton: the budget is the node's.
/// </summary>
public sealed class DecodeGate
{
    private readonly Lock sync = new();
    private readonly LinkedList<Waiter> queue = new();
    private readonly long budget;
    private readonly int slots;
    private readonly TimeSpan wait;
    private long bytesInFlight;
    private int decodesInFlight;

    public DecodeGate(IOptions<MediaOptions> options)
    {
        var value = options.Value;
        budget = value.DecodeBudgetBytes;
        slots = value.MaxConcurrentDecodes;
        wait = value.DecodeWaitTimeout;
    }

    public long BudgetBytes => budget;

    public int MaxConcurrentDecodes => slots;

    /// <summary>Bytes held by admitted decodes.</summary>
    public long BytesInFlight
    {
        get
        {
            lock (sync)
            {
                return bytesInFlight;
            }
        }
    }

    public int DecodesInFlight
    {
        get
        {
            lock (sync)
            {
                return decodesInFlight;
            }
        }
    }

    public int Waiting
    {
        get
        {
            lock (sync)
            {
                return queue.Count;
            }
        }
    }

    /// <summary>
    /// Waits for a slot and <paramref name="bytes"/> of the budget; dispose the lease when the pixels are freed.
    /// More than the whole budget is charged as the whole budget: that image runs alone, rather than never.
    /// </summary>
    /// <exception cref="WgException"><c>BUSY</c> when not admitted in time.</exception>
    public async Task<DecodeLease> EnterAsync(long bytes, CancellationToken cancellationToken = default)
    {
        var charge = Math.Clamp(bytes, 1, budget);
        Waiter waiter;
        lock (sync)
        {
            // Only when nobody waits: overtaking the queue would starve the image at its head.
            if (queue.Count == 0 && FitsLocked(charge))
            {
                TakeLocked(charge);
                return new DecodeLease(this, charge);
            }

            waiter = new Waiter(charge);
            waiter.Node = queue.AddLast(waiter);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        try
        {
            await waiter.Admitted.Task.WaitAsync(timeout.Token);
            return new DecodeLease(this, charge);
        }
        catch (OperationCanceledException)
        {
            bool admitted;
            lock (sync)
            {
                // Admission removes the node under this lock; still listed means it was not admitted.
                admitted = waiter.Node!.List is null;
                if (!admitted)
                {
                    queue.Remove(waiter.Node);

                    // It may have been the head that the ones behind it were waiting for.
                    PumpLocked();
                }
            }

            if (admitted)
            {
                // Admitted just as the wait ended: use it unless the caller gave up.
                if (!cancellationToken.IsCancellationRequested)
                {
                    return new DecodeLease(this, charge);
                }

                Release(charge);
            }

            cancellationToken.ThrowIfCancellationRequested();
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            throw WgException.Busy($"The server is busy processing other images; try again in {seconds} s.", DateTimeOffset.UtcNow.AddSeconds(seconds));
        }
    }

    private void Release(long charge)
    {
        lock (sync)
        {
            bytesInFlight -= charge;
            decodesInFlight--;
            PumpLocked();
        }
    }

    private bool FitsLocked(long charge) => decodesInFlight < slots && bytesInFlight + charge <= budget;

    private void TakeLocked(long charge)
    {
        bytesInFlight += charge;
        decodesInFlight++;
    }

    private void PumpLocked()
    {
        while (queue.First is { } head && FitsLocked(head.Value.Charge))
        {
            queue.RemoveFirst();
            TakeLocked(head.Value.Charge);
            head.Value.Admitted.TrySetResult();
        }
    }

    /// <summary>A decode's admission: its slot and bytes go back to the gate (once) when disposed.</summary>
    public sealed class DecodeLease : IDisposable
    {
        private DecodeGate? gate;

        internal DecodeLease(DecodeGate gate, long bytes)
        {
            this.gate = gate;
            Bytes = bytes;
        }

        /// <summary>What was charged against the budget.</summary>
        public long Bytes { get; }

        public void Dispose() => Interlocked.Exchange(ref gate, null)?.Release(Bytes);
    }

    private sealed class Waiter(long charge)
    {
        public long Charge { get; } = charge;

        // Completed under the gate's lock: continuations must not run there.
        public TaskCompletionSource Admitted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LinkedListNode<Waiter>? Node { get; set; }
    }
}
