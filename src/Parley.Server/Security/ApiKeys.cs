using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Parley.Server.Security;

/// <summary>The configured API keys, and which one (if any) a request carries as <c>Authorization: Bearer KEY</c>.</summary>
internal sealed class ApiKeys(ParleyServerOptions options)
{
    // Each key with the caller it stands for, made once: a request then costs a constant-time comparison per key, not
    // a hash of the key it carries. A key given as both a user and an admin key is an admin key.
    private readonly (byte[] Key, ApiCaller Caller)[] _keys =
    [
        .. options.ApiKeys.Concat(options.AdminApiKeys).Distinct(StringComparer.Ordinal)
            .Select(key => (Encoding.UTF8.GetBytes(key), ApiCaller.ForKey(key, isAdmin: options.AdminApiKeys.Contains(key, StringComparer.Ordinal)))),
    ];

    /// <summary>Whether the API is open (no keys configured).</summary>
    public bool IsOpen => _keys.Length == 0;

    /// <summary>The bearer token of <paramref name="request"/>, or null when it sends none.</summary>
    public static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }

    /// <summary>Whether <paramref name="token"/> is one of the keys (admin keys included), compared in constant time.</summary>
    public bool IsValid(string token) => Caller(token) is not null;

    /// <summary>The caller <paramref name="token"/> stands for, or null when it is not a configured key.</summary>
    public ApiCaller? Caller(string token)
    {
        var length = Encoding.UTF8.GetByteCount(token);
        var rented = length > 256 ? ArrayPool<byte>.Shared.Rent(length) : null;
        var given = (rented ?? stackalloc byte[256])[..length];
        Encoding.UTF8.GetBytes(token, given);
        ApiCaller? caller = null;
        foreach (var (key, keyCaller) in _keys)
        {
            // Compare with every key in constant time, so timing tells nothing about how close a guess was.
            if (CryptographicOperations.FixedTimeEquals(given, key))
            {
                caller = keyCaller;
            }
        }

        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return caller;
    }
}
