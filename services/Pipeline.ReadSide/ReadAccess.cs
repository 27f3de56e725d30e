using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Pipeline.ReadSide;

/// <summary>
/// The read key (<see cref="ApiOptions.ReadApiKey"/>): when set, every read — the API's GETs, the raw files, the
/// page and its assets, the OpenAPI description — needs it, as the <c>X-Api-Key</c> header or as the password
/// of HTTP Basic auth. Basic is there for browsers: the page's 401 makes the browser ask once, and it then sends
/// the key with the page's own calls. <c>/health</c> stays open for orchestrators; <c>POST /api/documents</c>
/// has a key of its own.
/// </summary>
internal static class ReadAccess
{
    public const string BasicChallenge = "Basic realm=\"Pipeline\"";

    /// <summary>True when the given key equals the expected one, in time that does not depend on where they differ.</summary>
    public static bool KeyMatches(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    public static void UseReadApiKey(this WebApplication app) =>
        app.Use(async (context, next) =>
        {
            var key = context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.ReadApiKey;
            if (string.IsNullOrEmpty(key)
                || !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
                || context.Request.Path.StartsWithSegments("/health")
                || KeyMatches(GivenKey(context.Request), key))
            {
                await next(context);
                return;
            }

            context.Response.Headers.WWWAuthenticate = BasicChallenge;
            await TypedResults.Problem(
                    $"Reading needs the read key (Api__ReadApiKey): the {DocumentEndpoints.ApiKeyHeader} header, or HTTP Basic auth with the key as the password.",
                    statusCode: StatusCodes.Status401Unauthorized)
                .ExecuteAsync(context);
        });

    /// <summary>The key the request carries: the X-Api-Key header, else the password of Basic auth, else empty.</summary>
    private static string GivenKey(HttpRequest request)
    {
        var header = request.Headers[DocumentEndpoints.ApiKeyHeader].ToString();
        if (header.Length > 0
            || !AuthenticationHeaderValue.TryParse(request.Headers.Authorization.ToString(), out var authorization)
            || !string.Equals(authorization.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            || authorization.Parameter is null)
        {
            return header;
        }

        var credentials = new byte[authorization.Parameter.Length];
        if (!Convert.TryFromBase64String(authorization.Parameter, credentials, out var length))
        {
            return string.Empty;
        }

        // user:password; any user name will do, the key is the password.
        var text = Encoding.UTF8.GetString(credentials, 0, length);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? string.Empty : text[(colon + 1)..];
    }
}
