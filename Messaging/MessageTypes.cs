using System.Collections.Concurrent;
using System.Text.Json;

namespace ConcertBooking.Messaging;

/// <summary>Names message types in the outbox and resolves them back when the relay publishes.</summary>
internal static class MessageTypes
{
    private static readonly ConcurrentDictionary<string, Type> ByName = new();

    public static string NameOf(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";

    /// <summary>"UserCreated" for "ConcertBooking.Contracts.UserCreated, Contracts": a label for metrics and pages.</summary>
    public static string ShortName(string name)
    {
        var typeName = name.Split(',')[0];
        return typeName[(typeName.LastIndexOf('.') + 1)..];
    }

    public static Type Resolve(string name) =>
        ByName.GetOrAdd(name, static n => Type.GetType(n, throwOnError: false)
            ?? throw new InvalidOperationException($"Message type '{n}' is not loaded in this service."));
}

internal static class MessageSerialization
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
