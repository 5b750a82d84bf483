using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.StaticFiles;

namespace Parley.Server.Web;

/// <summary>The web app's files, embedded in this assembly under <see cref="Prefix"/>: read once, served from memory.</summary>
internal sealed class WebAssets
{
    /// <summary>The manifest resource name prefix of the app's files.</summary>
    public const string Prefix = "parley-web/";

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    private readonly FrozenDictionary<string, WebAsset> _files;

    private WebAssets(FrozenDictionary<string, WebAsset> files) => _files = files;

    /// <summary>The assets embedded in <paramref name="assembly"/>.</summary>
    public static WebAssets Load(Assembly assembly)
    {
        var files = new Dictionary<string, WebAsset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var path = name[Prefix.Length..].Replace('\\', '/');
            var bytes = copy.ToArray();
            var type = ContentTypes.TryGetContentType(path, out var known) ? known : "application/octet-stream";
            if (type.StartsWith("text/", StringComparison.Ordinal) || type is "application/javascript" or "text/javascript" or "image/svg+xml")
            {
                type += "; charset=utf-8";
            }

            files[path] = new WebAsset(bytes, type, "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..16] + "\"");
        }

        return new WebAssets(files.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>The file at <paramref name="path"/> (relative, forward slashes), or null.</summary>
    public WebAsset? Find(string path) => _files.GetValueOrDefault(path);
}

/// <summary>One embedded file.</summary>
internal sealed record WebAsset(byte[] Content, string ContentType, string ETag);
