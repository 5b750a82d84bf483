using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Parley.Server.Security;

/// <summary>
/// Who a request comes from, as the owner of what it creates (sessions, uploaded files, fine-tuning jobs and the
/// <c>ft:</c> models they produce). With API keys configured, each key owns its records and sees only those; an admin
/// key (<see cref="ParleyServerOptions.AdminApiKeys"/>) sees everything. An open server (no keys) has one caller who
/// owns and sees everything, as before keys existed.
/// </summary>
/// <param name="Owner">
/// The owner recorded on what this caller creates: <c>key_</c> and 16 hex digits of the key's SHA-256, never the key
/// itself; null on an open server.
/// </param>
/// <param name="SeesAll">Whether this caller sees every record (an admin key, or an open server).</param>
public sealed record ApiCaller(string? Owner, bool SeesAll)
{
    private const string ItemKey = "parley.caller";

    /// <summary>The caller of an open server: owns nothing in particular and sees everything.</summary>
    public static ApiCaller Open { get; } = new(null, SeesAll: true);

    /// <summary>The caller a valid <paramref name="key"/> stands for.</summary>
    /// <param name="key">A configured API key.</param>
    /// <param name="isAdmin">Whether it is an admin key.</param>
    public static ApiCaller ForKey(string key, bool isAdmin) => new(OwnerOf(key), isAdmin);

    /// <summary>The owner id of <paramref name="key"/>: stable, not secret, and not reversible to the key.</summary>
    public static string OwnerOf(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return "key_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];
    }

    /// <summary>
    /// Whether this caller may see a record owned by <paramref name="recordOwner"/>. A record without an owner (made
    /// while the server was open) is seen only by callers who see everything.
    /// </summary>
    public bool CanSee(string? recordOwner) => SeesAll || (Owner is not null && string.Equals(Owner, recordOwner, StringComparison.Ordinal));

    /// <summary>
    /// The owner to filter lists by: null when this caller sees everything (no filter), else its own owner id.
    /// </summary>
    public string? ListFilter => SeesAll ? null : Owner;

    /// <summary>The caller of <paramref name="context"/>, set by the API-key filter; <see cref="Open"/> when none was set.</summary>
    public static ApiCaller Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(ItemKey, out var value) && value is ApiCaller caller ? caller : Open;
    }

    internal static void Set(HttpContext context, ApiCaller caller) => context.Items[ItemKey] = caller;
}
