var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
var amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
app.MapGet("/", () => TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, amsterdam).ToString("D", new System.Globalization.CultureInfo("nl-NL")));
app.Run();
