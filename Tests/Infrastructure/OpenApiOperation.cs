using System.Text.Json.Nodes;

namespace ConcertBooking.Tests.Infrastructure;

/// <summary>One operation of a service's OpenAPI document: what the fuzz test sends requests to.</summary>
/// <param name="Parameters">Path, query and header parameters, each with its schema (references resolved lazily).</param>
/// <param name="Body">The JSON request body's schema, if the operation takes one.</param>
public sealed record OpenApiOperation(
    string Service, HttpMethod Method, string PathTemplate, IReadOnlyList<OpenApiParameter> Parameters, JsonNode? Body)
{
    /// <summary>Every operation of the document, <c>components.schemas</c> references left for <see cref="OpenApiSchemas"/> to resolve.</summary>
    public static IReadOnlyList<OpenApiOperation> ReadAll(string service, JsonNode document)
    {
        var operations = new List<OpenApiOperation>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                if (method == "parameters")
                {
                    continue;
                }

                var parameters = (operation!["parameters"]?.AsArray() ?? [])
                    .Select(p => new OpenApiParameter(p!["name"]!.GetValue<string>(), p["in"]!.GetValue<string>(), p["schema"]))
                    .ToList();
                var body = operation["requestBody"]?["content"]?.AsObject().FirstOrDefault().Value?["schema"];
                operations.Add(new OpenApiOperation(service, new HttpMethod(method.ToUpperInvariant()), path, parameters, body));
            }
        }

        return operations;
    }
}

/// <summary>A path, query or header parameter of an operation.</summary>
public sealed record OpenApiParameter(string Name, string In, JsonNode? Schema);
