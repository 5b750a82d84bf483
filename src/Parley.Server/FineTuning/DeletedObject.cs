namespace Parley.Server.FineTuning;

/// <summary>The answer to a delete: <c>{"id", "object", "deleted": true}</c>.</summary>
/// <param name="Id">The deleted object's id.</param>
/// <param name="Object">Its object type (<c>file</c>, <c>model</c>).</param>
/// <param name="Deleted">Always true.</param>
public sealed record DeletedObject(string Id, string Object, bool Deleted = true);
