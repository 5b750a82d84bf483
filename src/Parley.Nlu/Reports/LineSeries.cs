namespace Parley.Nlu.Reports;

/// <summary>One line of a line chart.</summary>
/// <param name="Name">The legend's name for it.</param>
/// <param name="Color">Its colour (CSS).</param>
/// <param name="Dashed">Whether the line is dashed (validation curves are; training curves are solid).</param>
/// <param name="Points">The points, in x order.</param>
/// <param name="Mark">An x to mark on the line (the best epoch), or null.</param>
internal sealed record LineSeries(string Name, string Color, bool Dashed, IReadOnlyList<(double X, double Y)> Points, double? Mark = null);
