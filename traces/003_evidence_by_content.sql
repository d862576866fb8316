-- reserved: the lead's migration 003 replaces this file
SELECT 1;
