namespace Parley.Server.Models;

/// <summary>A model in <c>/v1/models</c>.</summary>
/// <param name="Id">The model id.</param>
/// <param name="Created">When it was made available, in Unix seconds.</param>
/// <param name="OwnedBy">Who provides it.</param>
public sealed record ModelInfo(string Id, long Created, string OwnedBy)
{
    /// <summary>Always <c>model</c>.</summary>
    public string Object => "model";
}
