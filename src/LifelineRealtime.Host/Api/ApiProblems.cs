using Microsoft.AspNetCore.Http.HttpResults;

namespace LifelineRealtime.Host.Api;

/// <summary>The API's RFC 7807 answers, each naming the value at fault.</summary>
internal static class ApiProblems
{
    public static ProblemHttpResult UnknownPlatform(string platformId) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Unknown platform",
        detail: $"platform '{platformId}' is not configured");

    public static ProblemHttpResult UnknownScope(ApiScope scope) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: $"Unknown {scope.KindName}",
        detail: $"{scope.KindName} '{scope.Id}' has not been seen on platform '{scope.PlatformId}'");

    public static ProblemHttpResult Forbidden(ApiScope scope) => TypedResults.Problem(
        statusCode: StatusCodes.Status403Forbidden,
        title: "Not allowed",
        detail: $"this {scope.KindName} of platform '{scope.PlatformId}' is not readable with the presented credentials");

    /// <summary>A 400 whose <c>errors</c> map the query parameter to the message, and whose detail repeats it.</summary>
    public static ValidationProblem BadParameter(string parameter, string message) => TypedResults.ValidationProblem(
        new Dictionary<string, string[]> { [parameter] = [message] },
        detail: message,
        title: $"Bad '{parameter}'");
}
