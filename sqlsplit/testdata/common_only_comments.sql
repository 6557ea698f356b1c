-- nothing to run here;
/* not even; this */

;
;
-- done
