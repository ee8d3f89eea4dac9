using System.Threading.Channels;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace ConcertBooking.Messaging.Kafka;

/// <summary>
/// One assigned partition: its records, handled strictly in offset order. Whatever has arrived while the previous
/// records were handled (up to the batch size) is handled next in one transaction; a lone record runs at once, alone.
/// </summary>
/// <remarks>
/// The handler turns a consumer's failure into a dead letter, so what escapes it is a fault of the transport itself.
/// The worker then handles again, after a back-off, the records the handler had not reported done, rather than stop:
/// none of those was committed, so that is safe (the inbox absorbs one that was after all), a passing fault heals by
/// itself, and one that does not shows in <c>/health</c> and the consumer lag instead of a partition that silently
/// stopped.
/// </remarks>
internal sealed partial class PartitionWorker : IDisposable
{
    private readonly Channel<ConsumeResult<string?, byte[]>> _records = Channel.CreateUnbounded<ConsumeResult<string?, byte[]>>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100), MaxRetryDelay = TimeSpan.FromSeconds(30);
    private readonly PartitionHandler _handle;
    private readonly SemaphoreSlim _concurrency;
    private readonly int _maxBatchSize;
    private readonly KafkaConsumerState _state;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _abort = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _handledUpTo = -1;
    private int _buffered;
    private volatile bool _stopping;

    public PartitionWorker(
        TopicPartition partition, PartitionHandler handle,
        SemaphoreSlim concurrency, int maxBatchSize, KafkaConsumerState state, ILogger logger)
    {
        _state = state;
        Partition = partition;
        _handle = handle;
        _concurrency = concurrency;
        _maxBatchSize = maxBatchSize;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    public TopicPartition Partition { get; }

    public int Buffered => Volatile.Read(ref _buffered);

    /// <summary>The offset to commit: one past the last record whose handling completed; -1 before any.</summary>
    public long HandledUpTo => Interlocked.Read(ref _handledUpTo);

    /// <summary>What was committed last; touched by the polling thread only.</summary>
    public long Committed { get; set; } = -1;

    public void Enqueue(ConsumeResult<string?, byte[]> record)
    {
        Interlocked.Increment(ref _buffered);
        _state.Buffer(1);
        _records.Writer.TryWrite(record);
    }

    public async Task StopAsync(TimeSpan gracePeriod)
    {
        _stopping = true;
        _records.Writer.TryComplete();
        await _stop.CancelAsync(); // a back-off after a failure ends at once: the records are the next owner's
        if (await Task.WhenAny(_loop, Task.Delay(gracePeriod)) != _loop)
        {
            // The handler's transaction is rolled back; its record was not committed, so it is delivered again.
            await _abort.CancelAsync();
        }

        await _loop;
        _state.Buffer(-Interlocked.Exchange(ref _buffered, 0));
    }

    private async Task RunAsync()
    {
        var records = new List<ConsumeResult<string?, byte[]>>(_maxBatchSize);
        while (await _records.Reader.WaitToReadAsync())
        {
            records.Clear();
            while (records.Count < _maxBatchSize && _records.Reader.TryRead(out var record))
            {
                records.Add(record);
            }

            Interlocked.Add(ref _buffered, -records.Count);
            _state.Buffer(-records.Count);
            if (_stopping)
            {
                return;
            }

            if (!await HandleUntilDoneAsync(records))
            {
                // Stopped on revoke or shutdown: what is not handled is not committed and comes again to the next owner.
                return;
            }
        }
    }

    /// <summary>
    /// Handles the records, and what of them is not handled yet again after a back-off while the transport fails; false
    /// once stopping.
    /// </summary>
    private async Task<bool> HandleUntilDoneAsync(List<ConsumeResult<string?, byte[]>> records)
    {
        var delay = FirstRetryDelay;
        for (var failures = 0; ; failures++)
        {
            try
            {
                await _concurrency.WaitAsync(_abort.Token);
                try
                {
                    var handledUpTo = HandledUpTo;
                    var remaining = failures == 0 ? records : records.Where(r => r.Offset.Value >= handledUpTo).ToList();
                    if (remaining.Count > 0)
                    {
                        await _handle(remaining, Handled, _abort.Token);
                    }
                }
                finally
                {
                    _concurrency.Release();
                }

                if (failures > 0)
                {
                    _state.PartitionRecovered(Partition.ToString());
                    LogWorkerRecovered(_logger, Partition.ToString(), failures);
                }

                return true;
            }
            catch (Exception) when (_abort.IsCancellationRequested)
            {
                // Whatever the cancellation surfaced as.
                return false;
            }
            catch (Exception exception)
            {
                _state.PartitionFailing(Partition.ToString(), $"{exception.GetType().Name}: {exception.Message}");
                LogWorkerFailed(_logger, exception, Partition.ToString(), delay);
            }

            if (_stopping)
            {
                return false;
            }

            try
            {
                await Task.Delay(delay, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return false;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    private void Handled(ConsumeResult<string?, byte[]> record) => Interlocked.Exchange(ref _handledUpTo, record.Offset.Value + 1);

    public void Dispose()
    {
        _state.PartitionRecovered(Partition.ToString()); // revoked or lost: no longer this member's to report
        _abort.Dispose();
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Kafka partition worker {Partition} failed outside any consumer; its records are handled again in {Delay}")]
    private static partial void LogWorkerFailed(ILogger logger, Exception exception, string partition, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka partition worker {Partition} goes on after {Failures} failures")]
    private static partial void LogWorkerRecovered(ILogger logger, string partition, int failures);
}
