using System.Threading.Channels;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace ConcertBooking.Messaging.Kafka;

/// <summary>
/// One assigned partition: its records, handled strictly in offset order. Whatever has arrived while the previous
/// records were handled (up to the batch size) is handled next in one transaction; a lone record runs at once, alone.
/// </summary>
internal sealed partial class PartitionWorker : IDisposable
{
    private readonly Channel<ConsumeResult<string?, byte[]>> _records = Channel.CreateUnbounded<ConsumeResult<string?, byte[]>>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly KafkaRecordHandler _handler;
    private readonly SemaphoreSlim _concurrency;
    private readonly int _maxBatchSize;
    private readonly KafkaConsumerState _state;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _abort = new();
    private readonly Task _loop;
    private long _handledUpTo = -1;
    private int _buffered;
    private volatile bool _stopping;

    public PartitionWorker(TopicPartition partition, KafkaRecordHandler handler, SemaphoreSlim concurrency, int maxBatchSize, KafkaConsumerState state, ILogger logger)
    {
        _state = state;
        Partition = partition;
        _handler = handler;
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

            try
            {
                await _concurrency.WaitAsync(_abort.Token);
                try
                {
                    if (records.Count == 1)
                    {
                        await _handler.HandleAsync(records[0], _abort.Token);
                    }
                    else
                    {
                        await _handler.HandleBatchAsync(records, _abort.Token);
                    }
                }
                finally
                {
                    _concurrency.Release();
                }
            }
            catch (Exception) when (_abort.IsCancellationRequested)
            {
                // Aborted on revoke or shutdown, whatever the cancellation surfaced as: the records are not committed
                // and come again to the partition's next owner.
                return;
            }
            catch (Exception exception)
            {
                // Only a bug in the transport itself lands here (handler failures become dead letters). Stopping the
                // partition without committing is the safe choice: the records are redelivered after a rebalance or restart.
                LogWorkerFailed(_logger, exception, Partition.ToString());
                return;
            }

            Interlocked.Exchange(ref _handledUpTo, records[^1].Offset.Value + 1);
        }
    }

    public void Dispose() => _abort.Dispose();

    [LoggerMessage(Level = LogLevel.Critical, Message = "Kafka partition worker {Partition} stopped on an unexpected error; its records wait for a restart or rebalance")]
    private static partial void LogWorkerFailed(ILogger logger, Exception exception, string partition);
}
