namespace Parley.Server.Models;

/// <summary>The body of <c>GET /v1/models</c>.</summary>
/// <param name="Data">The models.</param>
public sealed record ModelList(IReadOnlyList<ModelInfo> Data)
{
    /// <summary>Always <c>list</c>.</summary>
    public string Object => "list";
}
