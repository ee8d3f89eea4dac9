using System.Threading.Channels;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace ConcertBooking.Messaging.Kafka;

/// <summary>One assigned partition: its records, handled strictly one after another.</summary>
internal sealed partial class PartitionWorker : IDisposable
{
    private readonly Channel<ConsumeResult<string?, byte[]>> _records = Channel.CreateUnbounded<ConsumeResult<string?, byte[]>>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly KafkaRecordHandler _handler;
    private readonly SemaphoreSlim _concurrency;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _abort = new();
    private readonly Task _loop;
    private long _handledUpTo = -1;
    private int _buffered;
    private volatile bool _stopping;

    public PartitionWorker(TopicPartition partition, KafkaRecordHandler handler, SemaphoreSlim concurrency, ILogger logger)
    {
        Partition = partition;
        _handler = handler;
        _concurrency = concurrency;
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
        _records.Writer.TryWrite(record);
    }

    public async Task StopAsync(TimeSpan gracePeriod)
    {
        _stopping = true;
        _records.Writer.TryComplete();
        if (await Task.WhenAny(_loop, Task.Delay(gracePeriod)) != _loop)
        {
            // The handler's transaction is rolled back; its record was not committed, so it is delivered again.
            await _abort.CancelAsync();
        }

        await _loop;
    }

    private async Task RunAsync()
    {
        await foreach (var record in _records.Reader.ReadAllAsync())
        {
            Interlocked.Decrement(ref _buffered);
            if (_stopping)
            {
                return;
            }

            try
            {
                await _concurrency.WaitAsync(_abort.Token);
                try
                {
                    await _handler.HandleAsync(record, _abort.Token);
                }
                finally
                {
                    _concurrency.Release();
                }
            }
            catch (Exception) when (_abort.IsCancellationRequested)
            {
                // Aborted on revoke or shutdown, whatever the cancellation surfaced as: the record is not committed
                // and comes again to the partition's next owner.
                return;
            }
            catch (Exception exception)
            {
                // Only a bug in the transport itself lands here (handler failures become dead letters). Stopping the
                // partition without committing is the safe choice: the record is redelivered after a rebalance or restart.
                LogWorkerFailed(_logger, exception, Partition.ToString());
                return;
            }

            Interlocked.Exchange(ref _handledUpTo, record.Offset.Value + 1);
        }
    }

    public void Dispose() => _abort.Dispose();

    [LoggerMessage(Level = LogLevel.Critical, Message = "Kafka partition worker {Partition} stopped on an unexpected error; its records wait for a restart or rebalance")]
    private static partial void LogWorkerFailed(ILogger logger, Exception exception, string partition);
}
