using CsCheck;
using LifelineRealtime.Domain.Metrics;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.Statistics;
using LifelineRealtime.Testing;

namespace LifelineRealtime.Domain.Tests;

/// <summary>Any window the parser accepts resolves and reads in every time zone; anything else is a clear refusal.</summary>
public sealed class WindowBoundsPropertyTests
{
    [Fact]
    public void AnyWindowString_ParsedOrRefused_NeverThrowsWhenResolvedAndRead()
    {
        // The zones furthest ahead of and behind UTC, and the crisis line's own.
        var platforms = new[] { "Pacific/Kiritimati", "Etc/GMT+12", "Australia/Sydney" }.Select(zone =>
        {
            var options = TestEvents.DigiOptions();
            options.TimeZone = zone;
            return PlatformSettings.Create(options);
        }).ToList();
        WindowStrings.Window.Sample(text =>
        {
            if (!MetricWindow.TryParse(text, out var window, out var error))
            {
                Assert.False(string.IsNullOrEmpty(error));
                return;
            }

            Assert.True(window.From is null || MetricWindow.IsSupportedDate(window.From.Value), text);
            Assert.True(window.To is null || MetricWindow.IsSupportedDate(window.To.Value), text);
            foreach (var settings in platforms)
            {
                var statistics = new ScopeStatistics(ScopeKey.Platform("digi"), settings);
                var resolved = window.Resolve(settings, 1_795_474_800_000);
                Assert.True(resolved.ToInfo().End > resolved.ToInfo().Start, text);
                statistics.Snapshot(resolved);
                statistics.LoggedStatus(resolved);
            }
        }, iter: 3000);
    }

    [Theory]
    [InlineData("day:0001-01-01")]
    [InlineData("day:9999-12-31")]
    [InlineData("month:9999-12")]
    [InlineData("month:0001-01")]
    [InlineData("week:9998-W52")]
    [InlineData("range:1999-12-31..2000-01-01")]
    public void TryParse_DateOutsideTheSupportedDates_IsRefusedSayingSo(string text)
    {
        Assert.False(MetricWindow.TryParse(text, out _, out var error));
        Assert.Equal($"window '{text}' is outside the dates this engine computes (2000-01-01 to 2199-12-31)", error);
    }
}
