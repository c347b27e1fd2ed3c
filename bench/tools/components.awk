# Inclusive samples per component from `jfr print --events jdk.ExecutionSample`: a sample counts once for each
# component that has a frame on its stack.
/jdk\.ExecutionSample/ { total++; delete seen; next }
/line:/ {
  c = ""
  if ($0 ~ /io\.mathdb\.engine/) c = "mathdb engine"
  else if ($0 ~ /io\.mathdb\.web/) c = "mathdb web"
  else if ($0 ~ /org\.duckdb/) c = "duckdb jdbc"
  else if ($0 ~ /tools\.jackson|com\.fasterxml/) c = "jackson"
  else if ($0 ~ /org\.apache\.(catalina|coyote|tomcat)/) c = "tomcat"
  else if ($0 ~ /org\.springframework/) c = "spring"
  else if ($0 ~ /io\.micrometer/) c = "micrometer"
  if (c != "" && !(c in seen)) { seen[c] = 1; cnt[c]++ }
}
END { for (c in cnt) printf "%6d  %5.1f%%  %s\n", cnt[c], 100 * cnt[c] / total, c; printf "%6d  100.0%%  total\n", total }
