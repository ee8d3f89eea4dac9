using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace ConcertBooking.Messaging.Kafka;

/// <summary>
/// librdkafka reports every failed connection attempt; it reconnects by itself, so only what needs a person is a
/// warning: a fatal error, or all brokers down (which the readiness check shows as well).
/// </summary>
internal static partial class KafkaClientLog
{
    public static void Error(ILogger logger, string client, Error error)
    {
        if (error.IsFatal)
        {
            LogFatal(logger, client, error.Code, error.Reason);
        }
        else if (error.Code == ErrorCode.Local_AllBrokersDown)
        {
            LogAllBrokersDown(logger, client, error.Reason);
        }
        else
        {
            LogTransient(logger, client, error.Code, error.Reason);
        }
    }

    /// <summary>librdkafka's own log lines into the service's logging, not onto stderr.</summary>
    public static void Native(ILogger logger, LogMessage message)
    {
        // FAIL lines are failed connection attempts, also reported through the error handler (see Error above).
        var level = message.Facility == "FAIL" ? LogLevel.Debug : message.Level switch
        {
            <= SyslogLevel.Error => LogLevel.Error,
            SyslogLevel.Warning => LogLevel.Warning,
            SyslogLevel.Notice => LogLevel.Information,
            _ => LogLevel.Debug,
        };
        if (logger.IsEnabled(level))
        {
            LogNative(logger, level, message.Name, message.Facility, message.Message);
        }
    }

    [LoggerMessage(Message = "librdkafka {Name} {Facility}: {Text}")]
    private static partial void LogNative(ILogger logger, LogLevel level, string name, string facility, string text);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Kafka {Client} failed fatally ({Code}): {Reason}")]
    private static partial void LogFatal(ILogger logger, string client, ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka {Client}: {Reason}; reconnecting")]
    private static partial void LogAllBrokersDown(ILogger logger, string client, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Kafka {Client} error {Code}: {Reason} (librdkafka retries)")]
    private static partial void LogTransient(ILogger logger, string client, ErrorCode code, string reason);
}
