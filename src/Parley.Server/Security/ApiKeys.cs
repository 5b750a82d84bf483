using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Parley.Server.Security;

/// <summary>The configured API keys, and which one (if any) a request carries as <c>Authorization: Bearer KEY</c>.</summary>
internal sealed class ApiKeys(ParleyServerOptions options)
{
    private readonly byte[][] _keys = [.. options.ApiKeys.Concat(options.AdminApiKeys).Select(Encoding.UTF8.GetBytes)];
    private readonly byte[][] _adminKeys = [.. options.AdminApiKeys.Select(Encoding.UTF8.GetBytes)];

    /// <summary>Whether the API is open (no keys configured).</summary>
    public bool IsOpen => _keys.Length == 0;

    /// <summary>The bearer token of <paramref name="request"/>, or null when it sends none.</summary>
    public static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }

    /// <summary>Whether <paramref name="token"/> is one of the keys (admin keys included), compared in constant time.</summary>
    public bool IsValid(string token) => Matches(token, _keys);

    /// <summary>The caller <paramref name="token"/> stands for, or null when it is not a configured key.</summary>
    public ApiCaller? Caller(string token) =>
        Matches(token, _keys) ? ApiCaller.ForKey(token, isAdmin: Matches(token, _adminKeys)) : null;

    private static bool Matches(string token, byte[][] keys)
    {
        var given = Encoding.UTF8.GetBytes(token);
        var valid = false;
        foreach (var key in keys)
        {
            // Compare with every key in constant time, so timing tells nothing about how close a guess was.
            valid |= CryptographicOperations.FixedTimeEquals(given, key);
        }

        return valid;
    }
}
