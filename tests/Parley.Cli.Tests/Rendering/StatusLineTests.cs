using Parley.Cli.Rendering;

namespace Parley.Cli.Tests.Rendering;

public sealed class StatusLineTests
{
    private readonly StringWriter _error = new() { NewLine = "\n" };

    [Fact]
    public void Step_OnATerminal_RedrawsOneRowAndLinesStay()
    {
        var status = new StatusLine(_error, redraw: true, () => 80);

        status.Step("step 1/3");
        status.Step("step 2/3");
        status.Line("epoch 1 done");
        status.Step("step 3/3");
        status.End();
        status.End();

        Assert.Equal("\rstep 1/3\u001b[K\rstep 2/3\u001b[K\r\u001b[Kepoch 1 done\n\rstep 3/3\u001b[K\n", _error.ToString());
    }

    [Fact]
    public void Step_NotATerminal_WritesALinePerStep()
    {
        var status = new StatusLine(_error, redraw: false, () => 80);

        status.Step("step 1/3");
        status.Line("epoch 1 done");
        status.Step("step 2/3");
        status.End();

        Assert.Equal("step 1/3\nepoch 1 done\nstep 2/3\n", _error.ToString());
    }

    [Fact]
    public void Step_WiderThanTheTerminal_IsCutToFitInCells()
    {
        var status = new StatusLine(_error, redraw: true, () => 20);

        status.Step("训练进度 step 120/4000 loss 0.1234");

        var shown = _error.ToString()[1..^3];
        Assert.Equal("训练进度 step 120/…", shown);
        // 4 Chinese characters are 8 cells: 8 + 10 + the ellipsis = 19 cells, one less than the width, so it never wraps.
    }
}
