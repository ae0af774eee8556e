var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
// Shown to users in their own time zone.
var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
app.MapGet("/", () => TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, zone).ToString("O"));
app.Run();
