using Microsoft.EntityFrameworkCore;

namespace EfWebApp;

public class AppDbContext(DbContextOptions<AppDbContext> options) : DbContext(options)
{
    public DbSet<Todo> Todos => Set<Todo>();

    public DbSet<Tag> Tags => Set<Tag>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Todo>(b =>
        {
            b.ToTable("todos");
            b.Property(t => t.Title).HasMaxLength(200);
        });
        modelBuilder.Entity<Tag>(b => b.ToTable("tags"));
    }
}

public class Todo
{
    public int Id { get; set; }

    public string Title { get; set; } = "";

    public bool Done { get; set; }
}

public class Tag
{
    public int Id { get; set; }

    public string Name { get; set; } = "";
}
