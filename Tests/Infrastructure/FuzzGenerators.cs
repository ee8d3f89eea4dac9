using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;

namespace ConcertBooking.Tests.Infrastructure;

/// <summary>
/// CsCheck generators of hostile requests for an OpenAPI operation: bodies generated from the operation's schema and
/// then mutated (wrong types, missing and extra properties, huge, empty, unicode, control and bidi strings, NUL,
/// numbers at the extremes, deep nesting, broken JSON, other encodings), path parameters that are not GUIDs, odd query
/// strings, and headers (odd charsets, bogus tokens, entry passes and idempotency keys), with and without a valid token.
/// </summary>
/// <param name="schemas">Each service's <c>components.schemas</c>, for <c>$ref</c>.</param>
/// <param name="knownIds">Ids that exist (a user, a concert): most requests should reach past the 404s.</param>
/// <param name="validToken">A bearer token of a signed-in user, when the services issue them.</param>
/// <param name="validEntryPass">An entry pass TokenService issued, so that reservations reach the hold.</param>
/// <param name="opsKey">The <c>Ops:ApiKey</c> the system runs with, so that the operations routes are reached too.</param>
public sealed class FuzzGenerators(
    IReadOnlyDictionary<string, JsonObject?> schemas, IReadOnlyList<Guid> knownIds, string? validToken, string validEntryPass, string opsKey)
{
    private const int MaxDepth = 4;

    private static readonly string[] HostileStrings =
    [
        "", " ", "\0", "a\0b", "Ada\u202egnp.exe", "\u2066x\u2069", "x\u0085y", "\u001b[31mred", "\ud800", "x\udfffy",
        "𝄞 music", "Ω≈ç√∫", "' OR 1=1 --", "<script>alert(1)</script>", "../../etc/passwd", "%00", "{{7*7}}",
        "${jndi:ldap://x/a}", "null", "true", "-0", "1e999", "NaN", "\ufeffbom", "\u200b", "ﷺ", "\t", "\r\n",
        new string('a', 300), new string('x', 5_000), new string('é', 3_000), "ada@example.com", "\"a\0b\"@example.com",
        "a@b", "@", "a@" + new string('b', 300) + ".com", "0", "-1", "99999999999999999999999999", "00000000-0000-0000-0000-000000000000",
    ];

    /// <summary>Numbers as JSON text, including ones no .NET type holds.</summary>
    private static readonly string[] ExtremeNumbers =
    [
        "0", "-0", "-1", "1", "0.5", "-0.0001", "2147483647", "-2147483648", "2147483648", "9223372036854775807",
        "-9223372036854775808", "18446744073709551616", "79228162514264337593543950335", "79228162514264337593543950336",
        "1e308", "-1e308", "1e400", "1E-400", "123456789012345678901234567890.123456789", "0.0000000000000000000000000001",
    ];

    private static readonly string?[] ContentTypes =
    [
        null, "application/json; charset=utf-8", "application/json; charset=bogus", "application/json; charset=\"utf-8\"",
        "application/json; charset=utf-16", "application/json; charset=", "application/json; charset=utf-8; charset=latin1",
        "text/plain", "application/xml", "multipart/form-data; boundary=----x", "application/x-www-form-urlencoded", "*/*",
        "application/merge-patch+json", "application/json; charset=\u00e9", "application/json;;;", "json",
    ];

    private static readonly string[] BogusAuthorizations =
    [
        "Bearer garbage", "Bearer", "Bearer ", "Basic Zm9vOmJhcg==", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",
        "Bearer " + new string('A', 6_000), "Bearer a.b.c", "bearer x", "Bearer ключ", "Negotiate abc",
    ];

    private static readonly string[] BogusEntryPasses =
    [
        "", "x", "a.b", "a.b.c", "..", new string('A', 5_000), "eyJ9.eyJ9", "AAAA.AAAA", "\u202e.x", "%00",
        Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"exp\":99999999999999}")) + ".AAAA",
    ];

    private static readonly string[] IdempotencyKeys =
    [
        "", " ", "key-1", new string('k', 1_000), "ключ", "a\u202eb", "\t", Guid.Empty.ToString(),
    ];

    private static readonly string[] JunkPathValues =
    [
        "not-a-guid", "99999999999999999999999", "-1", "0", "%00", "%2e%2e%2f%2e%2e%2f", new string('a', 300),
        "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff", "%F0%9D%84%9E", "%E2%80%AE",
        "{id}", "1e9", "%20", "%ZZ",
    ];

    private static readonly byte[][] RawBodies =
    [
        [], "{"u8.ToArray(), "null"u8.ToArray(), "[]"u8.ToArray(), "\"\""u8.ToArray(), "{\"a\":"u8.ToArray(), "}{"u8.ToArray(),
        Encoding.UTF8.GetBytes(new string('[', 200) + new string(']', 200)),
        Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100)),
        "{\"name\":\"x\",\"name\":\"y\"}"u8.ToArray(), [0xff, 0xfe, 0x7b, 0x7d], [0xef, 0xbb, 0xbf, 0x7b, 0x7d],
        [0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d], Encoding.Unicode.GetBytes("{\"name\":\"x\"}"),
        Encoding.UTF8.GetBytes("{\"x\":\"" + new string('x', 20_000) + "\"}"), "\0\0\0\0"u8.ToArray(), "{\"a\":1}garbage"u8.ToArray(),
        "{'a':1}"u8.ToArray(), "{\"a\":1,}"u8.ToArray(), "/* c */{}"u8.ToArray(), "NaN"u8.ToArray(),
    ];

    /// <summary>A request to <paramref name="operation"/>.</summary>
    public Gen<FuzzRequest> Request(OpenApiOperation operation) =>
        Gen.Select(PathAndQuery(operation), Headers(operation), Body(operation), ContentType(), Gen.Int[0, 9],
            (path, headers, body, contentType, noBody) => new FuzzRequest(
                operation, path, headers, operation.Body is null && noBody < 8 ? null : body, contentType));

    private Gen<string> PathAndQuery(OpenApiOperation operation)
    {
        var pathParameters = operation.Parameters.Where(p => p.In == "path").ToList();
        var queryParameters = operation.Parameters.Where(p => p.In == "query").ToList();
        var path = pathParameters.Aggregate(Gen.Const(operation.PathTemplate), (template, parameter) =>
            Gen.Select(template, PathValue(), (t, value) => t.Replace("{" + parameter.Name + "}", value, StringComparison.Ordinal)));
        var query = queryParameters.Aggregate(Gen.Const(new List<string>()), (list, parameter) =>
            Gen.Select(list, Gen.Frequency((3, Gen.Const<string?>((string?)null)), (4, QueryValue(parameter.Schema, operation.Service))),
                (l, value) => value is null ? l : [.. l, parameter.Name + "=" + Uri.EscapeDataString(value)]));
        var extra = Gen.Frequency((8, Gen.Const("")), (1, Gen.OneOf("__proto__=1", "max=-1", "max=99999999999", "apiKey=x", "a=%00", "a[]=1&a[]=2")));
        return Gen.Select(path, query, extra, (p, q, e) =>
        {
            var parts = e.Length > 0 ? [.. q, e] : q;
            return parts.Count == 0 ? p : p + "?" + string.Join("&", parts);
        });
    }

    private Gen<string> PathValue() => Gen.Frequency(
        (5, Gen.OneOf([.. knownIds.Select(id => id.ToString())])),
        (2, Gen.Guid.Select(id => id.ToString())),
        (2, Gen.OneOf(JunkPathValues)));

    private Gen<string> QueryValue(JsonNode? schema, string service) =>
        Gen.Frequency(
            (3, Value(schema, service, 1).Select(json => json.Trim('"'))),
            (1, Gen.OneOf(HostileStrings)),
            (1, Gen.OneOf(ExtremeNumbers)));

    private Gen<IReadOnlyList<KeyValuePair<string, string>>> Headers(OpenApiOperation operation)
    {
        var authorization = Gen.Frequency(
            (3, Gen.Const<string?>((string?)null)),
            (validToken is null ? 0 : 4, Gen.Const<string?>("Bearer " + validToken)),
            (validToken is null ? 0 : 1, Gen.Int[0, Math.Max(0, (validToken?.Length ?? 1) - 1)].Select(i => (string?)("Bearer " + Flip(validToken!, i)))),
            (2, Gen.OneOf<string?>(BogusAuthorizations)));
        var entryPass = Gen.Frequency(
            (3, Gen.Const<string?>((string?)null)),
            (3, Gen.Const<string?>(validEntryPass)),
            (1, Gen.Int[0, validEntryPass.Length - 1].Select(i => (string?)Flip(validEntryPass, i))),
            (2, Gen.OneOf<string?>(BogusEntryPasses)));
        var idempotency = Gen.Frequency((2, Gen.Const<string?>((string?)null)), (2, Gen.Guid.Select(g => (string?)g.ToString())), (1, Gen.OneOf<string?>(IdempotencyKeys)));
        var ops = operation.PathTemplate.StartsWith("/ops", StringComparison.Ordinal)
            ? Gen.Frequency((3, Gen.Const<string?>(opsKey)), (1, Gen.Const<string?>((string?)null)), (1, Gen.OneOf<string?>("", "wrong", opsKey + "\0", new string('k', 3_000))))
            : Gen.Const<string?>((string?)null);
        return Gen.Select(authorization, entryPass, idempotency, ops, (auth, pass, key, apiKey) =>
        {
            var headers = new List<KeyValuePair<string, string>>();
            if (auth is not null) headers.Add(new("Authorization", auth));
            if (pass is not null) headers.Add(new("X-Entry-Pass", pass));
            if (key is not null) headers.Add(new("Idempotency-Key", key));
            if (apiKey is not null) headers.Add(new("X-Api-Key", apiKey));
            return (IReadOnlyList<KeyValuePair<string, string>>)headers;
        });
    }

    private static Gen<string?> ContentType() =>
        Gen.Frequency((12, Gen.Const<string?>("application/json")), (2, Gen.OneOf(ContentTypes)));

    private Gen<byte[]> Body(OpenApiOperation operation) =>
        Gen.Frequency(
            (10, Value(operation.Body, operation.Service, 0).Select(Encoding.UTF8.GetBytes)),
            (2, Gen.OneOf(RawBodies)),
            (1, Gen.Int[0, MaxDepth].SelectMany(depth => AnyJson(depth)).Select(Encoding.UTF8.GetBytes)));

    /// <summary>JSON text for <paramref name="schema"/>: usually of its shape, sometimes of another.</summary>
    private Gen<string> Value(JsonNode? schema, string service, int depth)
    {
        var resolved = Resolve(schema, service);
        if (resolved is null || depth > MaxDepth)
        {
            return AnyJson(depth);
        }

        return Gen.Frequency((8, Typed(resolved, service, depth)), (1, AnyJson(depth)));
    }

    private Gen<string> Typed(JsonObject schema, string service, int depth)
    {
        if (schema["properties"] is JsonObject properties)
        {
            return Object(properties, service, depth);
        }

        var type = TypeOf(schema);
        var format = schema["format"]?.GetValue<string>();
        return type switch
        {
            "integer" or "number" => Gen.Frequency(
                (4, Gen.Int[1, 100].Select(i => i.ToString(CultureInfo.InvariantCulture))),
                (1, Gen.Decimal[-1000, 1000].Select(d => Math.Round(d, 2).ToString(CultureInfo.InvariantCulture))),
                (3, Gen.OneOf(ExtremeNumbers))),
            "boolean" => Gen.OneOf("true", "false"),
            "array" => Value(schema["items"], service, depth + 1).Array[0, 4].Select(items => "[" + string.Join(",", items) + "]"),
            "object" => AnyJson(depth),
            _ => StringValue(format).Select(Quote),
        };
    }

    private Gen<string> Object(JsonObject properties, string service, int depth)
    {
        var members = properties.Select(p => Gen.Frequency(
                (8, Value(p.Value, service, depth + 1).Select(v => (string?)(Quote(p.Key) + ":" + v))),
                (1, Gen.Const<string?>((string?)null)),
                (1, Gen.OneOf<string?>(Quote(p.Key) + ":null", Quote(p.Key.ToUpperInvariant()) + ":\"x\""))))
            .Aggregate(Gen.Const(new List<string>()), (list, member) => Gen.Select(list, member, (l, m) => m is null ? l : [.. l, m]));
        var extra = Gen.Frequency((6, Gen.Const<string?>((string?)null)), (1, Gen.Select(Gen.OneOf(HostileStrings), AnyJson(MaxDepth), (k, v) => (string?)(Quote(k) + ":" + v))));
        return Gen.Select(members, extra, (m, e) => "{" + string.Join(",", e is null ? m : [.. m, e]) + "}");
    }

    private Gen<string> StringValue(string? format) => Gen.Frequency(
        (5, format switch
        {
            "uuid" => Gen.Frequency((3, Gen.OneOf([.. knownIds.Select(id => id.ToString())])), (1, Gen.Guid.Select(g => g.ToString()))),
            "email" => Gen.Guid.Select(g => $"fuzz-{g:N}@example.com"),
            "date-time" => Gen.OneOf("2030-01-01T20:00:00+00:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2030-13-45T99:99:99Z"),
            _ => Gen.OneOf("Fuzz", "A1", "T", "Ada Lovelace", "fuzz@example.com"),
        }),
        (3, Gen.OneOf(HostileStrings)),
        (2, Gen.String),
        (1, Gen.Char.Array[0, 40].Select(chars => new string(chars))));

    /// <summary>Any JSON value, of any kind, nested up to <see cref="MaxDepth"/> deep or far deeper.</summary>
    private static Gen<string> AnyJson(int depth) => depth >= MaxDepth
        ? Gen.Frequency(
            (4, Gen.OneOf("null", "true", "false", "0", "\"\"", "[]", "{}")),
            (2, Gen.OneOf(ExtremeNumbers)),
            (2, Gen.OneOf(HostileStrings).Select(Quote)),
            (1, Gen.Int[20, 300].Select(n => new string('[', n) + new string(']', n))))
        : Gen.Frequency(
            (3, AnyJson(MaxDepth)),
            (1, AnyJson(depth + 1).Array[0, 3].Select(items => "[" + string.Join(",", items) + "]")),
            (1, Gen.Select(Gen.OneOf(HostileStrings).Array[0, 3], AnyJson(depth + 1).Array[3],
                (keys, values) => "{" + string.Join(",", keys.Select((k, i) => Quote(k) + ":" + values[i])) + "}")));

    private JsonObject? Resolve(JsonNode? schema, string service)
    {
        for (var hops = 0; schema is JsonObject { } obj && hops < 10; hops++)
        {
            if (obj["$ref"]?.GetValue<string>() is { } reference)
            {
                schema = schemas[service]?[reference.Split('/')[^1]];
                continue;
            }

            // Nullable and union shapes: take the first alternative that is not null.
            if ((obj["oneOf"] ?? obj["anyOf"] ?? obj["allOf"]) is JsonArray alternatives && obj["properties"] is null && obj["type"] is null)
            {
                schema = alternatives.FirstOrDefault(a => TypeOf(a as JsonObject) != "null") ?? alternatives.FirstOrDefault();
                continue;
            }

            return obj;
        }

        return null;
    }

    private static string? TypeOf(JsonObject? schema) => schema?["type"] switch
    {
        JsonArray types => types.Select(t => t!.GetValue<string>()).FirstOrDefault(t => t != "null") ?? "null",
        JsonValue type => type.GetValue<string>(),
        _ => null,
    };

    /// <summary>A JSON string literal that keeps every character, lone surrogates included, as an escape.</summary>
    private static string Quote(string text)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in text)
        {
            quoted.Append(c is < ' ' or > '~' or '"' or '\\' ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return quoted.Append('"').ToString();
    }

    private static string Flip(string token, int index) =>
        string.Concat(token.AsSpan(0, index), token[index] == 'A' ? "B" : "A", token.AsSpan(index + 1));
}
