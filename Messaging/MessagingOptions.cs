using System.ComponentModel.DataAnnotations;
using ConcertBooking.Messaging.Kafka;

namespace ConcertBooking.Messaging;

public enum MessagingTransport
{
    RabbitMq,
    InMemory,
    Kafka,
}

/// <summary>Bound from the <c>Messaging</c> configuration section.</summary>
public sealed class MessagingOptions
{
    public const string SectionName = "Messaging";

    public MessagingTransport Transport { get; set; } = MessagingTransport.RabbitMq;

    /// <summary>Prefix of this service's queue names, so services sharing a broker never share a queue.</summary>
    [Required]
    public string ServiceName { get; set; } = "";

    public RabbitMqOptions RabbitMq { get; set; } = new();

    public KafkaOptions Kafka { get; set; } = new();

    public OutboxOptions Outbox { get; set; } = new();

    public InboxOptions Inbox { get; set; } = new();

    public ConsumerOptions Consumers { get; set; } = new();
}

public sealed class RabbitMqOptions
{
    public string Host { get; set; } = "127.0.0.1";

    public ushort Port { get; set; } = 5672;

    public string VirtualHost { get; set; } = "/";

    public string Username { get; set; } = "guest";

    public string Password { get; set; } = "guest";
}

public sealed class OutboxOptions
{
    /// <summary>Whether this instance runs a relay. Writers always write to the outbox.</summary>
    public bool RelayEnabled { get; set; } = true;

    /// <summary>How often the relay looks for rows nobody woke it for: other instances' or a crashed one's.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 200;

    /// <summary>A publish that the broker has not confirmed by then counts as failed and is retried.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Dispatched rows are kept this long for inspection, then deleted.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(1);

    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The service is not ready while an undispatched row is older than this: the relay is stuck.</summary>
    public TimeSpan StuckAfter { get; set; } = TimeSpan.FromMinutes(1);
}

public sealed class InboxOptions
{
    /// <summary>
    /// How long a handled message id is remembered. A redelivery older than this would be handled again, so it
    /// must exceed the longest time a message can sit in the broker (versioned projections stay safe regardless).
    /// </summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(10);
}

public sealed class ConsumerOptions
{
    [Range(1, 1000)]
    public int ConcurrentMessageLimit { get; set; } = 16;

    /// <summary>Retries of a failure that looks permanent (a bug, a bad message) before the error queue.</summary>
    [Range(0, 100)]
    public int RetryLimit { get; set; } = 3;

    /// <summary>Retries of a transient failure (database or network down) before the error queue.</summary>
    [Range(0, 1000)]
    public int TransientRetryLimit { get; set; } = 30;

    public TimeSpan TransientRetryMaxDelay { get; set; } = TimeSpan.FromSeconds(10);
}
