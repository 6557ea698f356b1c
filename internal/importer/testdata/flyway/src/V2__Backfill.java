public class V2__Backfill {}
