using System.Collections.Concurrent;

namespace ConcertBooking.Messaging.Publishing;

/// <summary>
/// The one reader and writer of message type names: "Namespace.Type, Assembly" in the outbox (so a relay in a fresh
/// process can rebuild the message), a short name for metrics, pages and topic names. Nested types are written by the
/// runtime as "Outer+Inner"; their short name is "Inner", like a top-level type's.
/// </summary>
public static class MessageTypeNames
{
    private static readonly ConcurrentDictionary<string, Type> ByName = new();

    public static string Of(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";

    /// <summary>"UserCreated" for "ConcertBooking.Contracts.UserCreated, Contracts" (and for a nested "Outer+UserCreated").</summary>
    public static string ShortName(string name)
    {
        var fullName = name.AsSpan(0, name.IndexOf(',') is var comma and >= 0 ? comma : name.Length).Trim();
        return fullName[(fullName.LastIndexOfAny('.', '+') + 1)..].ToString();
    }

    /// <summary>The type named, loaded once per name; throws when this process does not know it.</summary>
    public static Type Resolve(string name) =>
        ByName.GetOrAdd(name, static n => Type.GetType(n, throwOnError: false)
            ?? throw new InvalidOperationException($"Message type '{n}' is not loaded in this service."));
}
