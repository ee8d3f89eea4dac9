using Confluent.Kafka;

namespace ConcertBooking.Messaging.Kafka;

/// <summary>
/// Handles records of one partition in offset order, a lone one alone or several in one transaction, and reports each
/// record once it is done with (committed, skipped as a duplicate, or dead-lettered), so that what follows a failure
/// is all that is handled again.
/// </summary>
internal delegate Task PartitionHandler(
    IReadOnlyList<ConsumeResult<string?, byte[]>> records, Action<ConsumeResult<string?, byte[]>> handled, CancellationToken cancellationToken);
