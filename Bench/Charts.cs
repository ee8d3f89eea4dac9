using System.Globalization;
using System.Net;
using System.Text;

namespace ConcertBooking.Bench;

/// <summary>A named line of points.</summary>
internal sealed record Series(string Name, string Color, IReadOnlyList<(double X, double Y)> Points);

/// <summary>
/// Inline SVG charts for the HTML report: no script and nothing fetched when the page is viewed. Axes carry their
/// units and ticks; hovering a bar or a point shows its value.
/// </summary>
internal static class Charts
{
    public static readonly string[] Colors = ["#3b6fd4", "#d4873b", "#3bb27a", "#a24bc9", "#c23b3b"];

    private const int Left = 56, Right = 12, Top = 28, Bottom = 36;

    /// <summary>A line chart; <paramref name="logY"/> for values spanning decades (lag from 2 ms to 40 s).</summary>
    public static string Lines(string title, IReadOnlyList<Series> series, string xLabel, string yLabel, bool logY, int width = 460, int height = 240, double? yLine = null, string? yLineLabel = null)
    {
        var points = series.SelectMany(s => s.Points).ToList();
        var svg = Begin(title, width, height);
        if (points.Count == 0)
        {
            return svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{width / 2}\" y=\"{height / 2}\" text-anchor=\"middle\" font-size=\"12\">no data</text></svg>").ToString();
        }

        var xMax = Math.Max(points.Max(p => p.X), 1e-9);
        var yMax = Math.Max(points.Max(p => p.Y), yLine ?? 0);
        var scale = new Scale(logY, logY ? Math.Max(0.1, Math.Min(points.Where(p => p.Y > 0).Select(p => p.Y).DefaultIfEmpty(1).Min(), yLine ?? double.MaxValue)) : 0, yMax, height);
        double X(double x) => Left + ((width - Left - Right) * x / xMax);
        Axes(svg, scale, width, height, xMax, xLabel, yLabel, X);
        if (yLine is { } line)
        {
            svg.Append(CultureInfo.InvariantCulture,
                $"<line x1=\"{Left}\" x2=\"{width - Right}\" y1=\"{scale.Y(line):0.0}\" y2=\"{scale.Y(line):0.0}\" stroke=\"#999\" stroke-dasharray=\"4 3\"/><text x=\"{width - Right - 2}\" y=\"{scale.Y(line) - 3:0.0}\" font-size=\"10\" text-anchor=\"end\" fill=\"#666\">{Encode(yLineLabel ?? "")}</text>");
        }

        foreach (var s in series)
        {
            var path = string.Join(" ", s.Points.Select((p, i) => string.Create(CultureInfo.InvariantCulture, $"{(i == 0 ? "M" : "L")}{X(p.X):0.0},{scale.Y(p.Y):0.0}")));
            svg.Append(CultureInfo.InvariantCulture, $"<path d=\"{path}\" fill=\"none\" stroke=\"{s.Color}\" stroke-width=\"1.6\"/>");
            if (s.Points.Count <= 60)
            {
                foreach (var p in s.Points)
                {
                    svg.Append(CultureInfo.InvariantCulture,
                        $"<circle cx=\"{X(p.X):0.0}\" cy=\"{scale.Y(p.Y):0.0}\" r=\"2.2\" fill=\"{s.Color}\"><title>{Encode(s.Name)}: {p.Y:0.##} at {p.X:0.##}</title></circle>");
                }
            }
        }

        Legend(svg, series.Select(s => (s.Name, s.Color)).ToList(), width);
        return svg.Append("</svg>").ToString();
    }

    /// <summary>Groups of bars (one group per category, one bar per series), each labelled with its value.</summary>
    public static string Bars(string title, IReadOnlyList<string> groups, IReadOnlyList<(string Name, string Color, IReadOnlyList<double> Values)> series, string yLabel, bool logY, int width = 300, int height = 220, double? yLine = null)
    {
        var svg = Begin(title, width, height);
        var values = series.SelectMany(s => s.Values).ToList();
        var yMax = Math.Max(values.DefaultIfEmpty(1).Max(), yLine ?? 0);
        var scale = new Scale(logY, logY ? Math.Max(0.1, values.Where(v => v > 0).DefaultIfEmpty(1).Min()) : 0, Math.Max(yMax, 0.1), height);
        var groupWidth = (double)(width - Left - Right) / Math.Max(1, groups.Count);
        var barWidth = Math.Min(28, (groupWidth - 10) / Math.Max(1, series.Count));
        Axes(svg, scale, width, height, null, null, yLabel, null);
        if (yLine is { } line)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{width - Right}\" y1=\"{scale.Y(line):0.0}\" y2=\"{scale.Y(line):0.0}\" stroke=\"#999\" stroke-dasharray=\"4 3\"><title>goal {line:0.##}</title></line>");
        }

        for (var g = 0; g < groups.Count; g++)
        {
            var x0 = Left + (g * groupWidth) + ((groupWidth - (barWidth * series.Count)) / 2);
            for (var s = 0; s < series.Count; s++)
            {
                var value = series[s].Values[g];
                var y = scale.Y(value);
                var x = x0 + (s * barWidth);
                svg.Append(CultureInfo.InvariantCulture,
                    $"<rect x=\"{x:0.0}\" y=\"{y:0.0}\" width=\"{barWidth - 2:0.0}\" height=\"{height - Bottom - y:0.0}\" fill=\"{series[s].Color}\"><title>{Encode(series[s].Name)} {Encode(groups[g])}: {value:0.##}</title></rect>" +
                    $"<text x=\"{x + ((barWidth - 2) / 2):0.0}\" y=\"{y - 3:0.0}\" font-size=\"9\" text-anchor=\"middle\">{Short(value)}</text>");
            }

            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + (g * groupWidth) + (groupWidth / 2):0.0}\" y=\"{height - Bottom + 14}\" font-size=\"11\" text-anchor=\"middle\">{Encode(groups[g])}</text>");
        }

        Legend(svg, series.Select(s => (s.Name, s.Color)).ToList(), width);
        return svg.Append("</svg>").ToString();
    }

    private static StringBuilder Begin(string title, int width, int height) => new StringBuilder().Append(CultureInfo.InvariantCulture,
        $"<svg class=\"chart\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" xmlns=\"http://www.w3.org/2000/svg\" font-family=\"system-ui,sans-serif\">" +
        $"<text x=\"{Left}\" y=\"14\" font-size=\"12\" font-weight=\"600\">{Encode(title)}</text>");

    private static void Axes(StringBuilder svg, Scale scale, int width, int height, double? xMax, string? xLabel, string yLabel, Func<double, double>? x)
    {
        svg.Append(CultureInfo.InvariantCulture,
            $"<line x1=\"{Left}\" x2=\"{Left}\" y1=\"{Top}\" y2=\"{height - Bottom}\" stroke=\"#555\"/><line x1=\"{Left}\" x2=\"{width - Right}\" y1=\"{height - Bottom}\" y2=\"{height - Bottom}\" stroke=\"#555\"/>");
        foreach (var tick in scale.Ticks())
        {
            var y = scale.Y(tick);
            svg.Append(CultureInfo.InvariantCulture,
                $"<line x1=\"{Left}\" x2=\"{width - Right}\" y1=\"{y:0.0}\" y2=\"{y:0.0}\" stroke=\"#e4e6ea\"/><text x=\"{Left - 4}\" y=\"{y + 3:0.0}\" font-size=\"10\" text-anchor=\"end\">{Short(tick)}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture,
            $"<text x=\"12\" y=\"{(Top + height - Bottom) / 2}\" font-size=\"10\" text-anchor=\"middle\" transform=\"rotate(-90 12 {(Top + height - Bottom) / 2})\">{Encode(yLabel)}{(scale.Log ? " (log)" : "")}</text>");
        if (xMax is { } max && x is not null)
        {
            foreach (var tick in NiceTicks(0, max))
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x(tick):0.0}\" y=\"{height - Bottom + 13}\" font-size=\"10\" text-anchor=\"middle\">{Short(tick)}</text>");
            }

            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{(Left + width - Right) / 2}\" y=\"{height - 6}\" font-size=\"10\" text-anchor=\"middle\">{Encode(xLabel ?? "")}</text>");
        }
    }

    private static void Legend(StringBuilder svg, IReadOnlyList<(string Name, string Color)> entries, int width)
    {
        var x = width - Right;
        for (var i = entries.Count - 1; i >= 0; i--)
        {
            x -= 14 + (entries[i].Name.Length * 6);
            svg.Append(CultureInfo.InvariantCulture,
                $"<rect x=\"{x}\" y=\"17\" width=\"9\" height=\"9\" fill=\"{entries[i].Color}\"/><text x=\"{x + 12}\" y=\"25\" font-size=\"10\">{Encode(entries[i].Name)}</text>");
        }
    }

    private static IEnumerable<double> NiceTicks(double min, double max)
    {
        var raw = (max - min) / 5;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        for (var t = Math.Ceiling(min / step) * step; t <= max + (step / 1000); t += step)
        {
            yield return t;
        }
    }

    private static string Short(double value) => value switch
    {
        >= 10_000 => (value / 1000).ToString("0.#", CultureInfo.InvariantCulture) + "k",
        >= 100 => value.ToString("0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("0.#", CultureInfo.InvariantCulture),
        _ => value.ToString("0.##", CultureInfo.InvariantCulture),
    };

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    /// <summary>The value axis, linear from 0 or logarithmic over whole decades.</summary>
    private sealed class Scale(bool log, double min, double max, int height)
    {
        private readonly double _low = log ? Math.Pow(10, Math.Floor(Math.Log10(min))) : 0;
        private readonly double _high = log ? Math.Pow(10, Math.Ceiling(Math.Log10(Math.Max(max, min * 10)))) : Math.Max(max * 1.1, 1e-9);

        public bool Log => log;

        public double Y(double value)
        {
            var fraction = log
                ? (Math.Log10(Math.Max(value, _low)) - Math.Log10(_low)) / (Math.Log10(_high) - Math.Log10(_low))
                : value / _high;
            return height - Bottom - ((height - Bottom - Top) * Math.Clamp(fraction, 0, 1));
        }

        public IEnumerable<double> Ticks()
        {
            if (!log)
            {
                return NiceTicks(0, _high);
            }

            var decades = new List<double>();
            for (var t = _low; t <= _high * 1.0001; t *= 10)
            {
                decades.Add(t);
            }

            return decades;
        }
    }
}
