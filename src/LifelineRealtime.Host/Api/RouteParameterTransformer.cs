using System.Text.RegularExpressions;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace LifelineRealtime.Host.Api;

/// <summary>
/// Scope handlers take an <see cref="ApiScope"/> bound from the route as a whole, so the generator sees no
/// route parameters of theirs; this adds every <c>{name}</c> of the path as a required string path parameter.
/// </summary>
internal sealed partial class RouteParameterTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var path = context.Description.RelativePath ?? "";
        operation.Parameters ??= [];
        foreach (Match match in RouteValue().Matches(path))
        {
            var name = match.Groups[1].Value;
            if (!operation.Parameters.Any(p => p.Name == name && p.In == ParameterLocation.Path))
            {
                operation.Parameters.Insert(0, new OpenApiParameter
                {
                    Name = name,
                    In = ParameterLocation.Path,
                    Required = true,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                });
            }
        }

        return Task.CompletedTask;
    }

    [GeneratedRegex(@"\{([A-Za-z]+)\}")]
    private static partial Regex RouteValue();
}
