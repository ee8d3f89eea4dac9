using MassTransit;

namespace ConcertBooking.Messaging.Inbox;

/// <summary>
/// Puts the retry policy in front of every consumer, chosen by the consumer: transient failures (the dialect's
/// verdict) up to <see cref="ConsumerOptions.TransientRetryLimit"/> times, or without a limit for a consumer marked
/// <see cref="UnboundedTransientRetryAttribute"/>; any other failure <see cref="ConsumerOptions.RetryLimit"/> times.
/// <para>
/// The retries sit in the consumer's message pipe, before the consumer factory, so every attempt gets a new scope
/// (a fresh DbContext and inbox transaction), the way an endpoint-wide retry would; unlike one, they are chosen per
/// consumer, on a RabbitMQ endpoint and in the Kafka transport's mediator alike. The transient retry is the outer one:
/// a transient failure passes through the inner retry untouched and restarts it, and a permanent failure that the
/// inner retry gave up on is not retried again by the outer one (MassTransit marks it as handled).
/// </para>
/// </summary>
internal sealed class RetryConfigurationObserver(ConsumerOptions options, IDatabaseDialect dialect) : IConsumerConfigurationObserver
{
    /// <summary>Each retry of a transient failure waits about twice as long as the one before, from this, up to the cap.</summary>
    private static readonly TimeSpan FirstTransientDelay = TimeSpan.FromMilliseconds(100);

    public void ConsumerConfigured<TConsumer>(IConsumerConfigurator<TConsumer> configurator) where TConsumer : class
    {
    }

    public void ConsumerMessageConfigured<TConsumer, TMessage>(IConsumerMessageConfigurator<TConsumer, TMessage> configurator)
        where TConsumer : class
        where TMessage : class
    {
        // MassTransit's consumer-message specification is also the configurator of the pipe before the consumer
        // factory (its own consumer-level retry relies on the same); without it there would be no retry at all.
        if (configurator is not IConsumerMessageConfigurator<TMessage> beforeFactory)
        {
            throw new InvalidOperationException(
                $"Cannot configure retries for {typeof(TConsumer).Name}: {configurator.GetType().Name} has no message pipe before the consumer factory.");
        }

        var transientLimit = IsUnbounded(typeof(TConsumer)) ? int.MaxValue : options.TransientRetryLimit;
        if (transientLimit > 0)
        {
            beforeFactory.UseMessageRetry(retry =>
            {
                retry.Handle<Exception>(dialect.IsTransient);
                // MassTransit computes the intervals only up to the cap, so an unbounded limit costs nothing.
                retry.Exponential(transientLimit, FirstTransientDelay, options.TransientRetryMaxDelay, TimeSpan.FromMilliseconds(200));
            });
        }

        if (options.RetryLimit > 0)
        {
            beforeFactory.UseMessageRetry(retry =>
            {
                retry.Ignore<Exception>(dialect.IsTransient);
                retry.Intervals([.. Enumerable.Range(1, options.RetryLimit).Select(i => TimeSpan.FromMilliseconds(100 * i))]);
            });
        }
    }

    /// <summary>Whether <paramref name="consumer"/> retries transient failures without a limit.</summary>
    public static bool IsUnbounded(Type consumer) => Attribute.IsDefined(consumer, typeof(UnboundedTransientRetryAttribute), inherit: false);
}
