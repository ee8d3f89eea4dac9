using System.Text;

namespace ConcertBooking.Tests.Infrastructure;

/// <summary>One generated request of the fuzz test, and how to report it.</summary>
public sealed record FuzzRequest(
    OpenApiOperation Operation, string PathAndQuery, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[]? Body, string? ContentType)
{
    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(Operation.Method, PathAndQuery);
        foreach (var (name, value) in Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body);
            if (ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
        }

        return message;
    }

    /// <summary>Method, path, headers and body (shortened, control characters escaped) for a failure report.</summary>
    public string Describe()
    {
        var headers = string.Join(", ", Headers.Select(h => $"{h.Key}: {Shorten(h.Value, 80)}"));
        var body = Body is null ? "(none)" : Shorten(Encoding.UTF8.GetString(Body), 400);
        return $"{Operation.Service} {Operation.Method} {Shorten(PathAndQuery, 300)} [{headers}] Content-Type: {ContentType ?? "(none)"} body ({Body?.Length ?? 0} bytes): {body}";
    }

    public static string Shorten(string text, int max)
    {
        var escaped = new StringBuilder();
        foreach (var c in text.Length > max ? text[..max] : text)
        {
            escaped.Append(char.IsControl(c) || char.IsSurrogate(c) || c is >= '\u2000' and <= '\u206f' ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return text.Length > max ? $"{escaped}...(+{text.Length - max})" : escaped.ToString();
    }
}
