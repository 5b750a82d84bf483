using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Parley.Server.Security;

/// <summary>The configured API keys, and which one (if any) a request carries as <c>Authorization: Bearer KEY</c>.</summary>
internal sealed class ApiKeys(ParleyServerOptions options)
{
    private readonly byte[][] _keys = [.. options.ApiKeys.Select(Encoding.UTF8.GetBytes)];

    /// <summary>Whether the API is open (no keys configured).</summary>
    public bool IsOpen => _keys.Length == 0;

    /// <summary>The bearer token of <paramref name="request"/>, or null when it sends none.</summary>
    public static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }

    /// <summary>Whether <paramref name="token"/> is one of the keys, compared in constant time.</summary>
    public bool IsValid(string token)
    {
        var given = Encoding.UTF8.GetBytes(token);
        var valid = false;
        foreach (var key in _keys)
        {
            // Compare with every key in constant time, so timing tells nothing about how close a guess was.
            valid |= CryptographicOperations.FixedTimeEquals(given, key);
        }

        return valid;
    }
}
