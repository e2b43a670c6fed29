/* Host-side brute force of kmod/match.c's tree-move bound: find rules,
 * from, to such that charter_rules_move_bound(from,to) is within
 * rights(from) but some file to/x gets a right that from/x lacks. */
#include "kshim.h"
#include <stdio.h>
#include "kmod/policy.h"
#include "kmod/match.h"

static const char *comps[] = {"a","b","c","*","?","**","a*","*b","ab"};
static const char *names[] = {"a","b","c","ab","ba","bb","*","**","?","a*"};
#define NC (sizeof(comps)/sizeof(*comps))
#define NN (sizeof(names)/sizeof(*names))
static unsigned rnd(unsigned n){ return (unsigned)random() % n; }

static void randpat(char *buf){
	int n = 1 + rnd(4); buf[0]=0;
	for(int i=0;i<n;i++){ strcat(buf,"/"); strcat(buf,comps[rnd(NC)]); }
}
static void randpath(char *buf,int min,int max){
	int n = min + rnd(max-min+1); buf[0]=0;
	for(int i=0;i<n;i++){ strcat(buf,"/"); strcat(buf,names[rnd(NN)]); }
}
int main(int argc,char**argv){
	long iters = argc>1?atol(argv[1]):1000000; int found=0;
	srandom(argc>2?atoi(argv[2]):1);
	static char pats[4][256]; struct charter_path_rule rules[4];
	for(long it=0;it<iters && found<10;it++){
		int nr = 1+rnd(3);
		for(int i=0;i<nr;i++){
			randpat(pats[i]);
			u16 pl; if(charter_pattern_check(pats[i],&pl)){i--;continue;}
			rules[i].pattern=pats[i]; rules[i].name="r"; rules[i].prefix_len=pl;
			rules[i].len=strlen(pats[i]); rules[i].access=1+rnd(7); rules[i].flags=0;
		}
		char from[128],to[128]; randpath(from,1,3); randpath(to,1,3);
		if(!strcmp(from,to)) continue;
		/* to must not be beneath from */
		size_t fl=strlen(from); if(!strncmp(from,to,fl)&&to[fl]=='/') continue;
		u32 gf = charter_rules_access(rules,nr,from);
		u32 gt = charter_rules_move_bound(rules,nr,from,to);
		if (gt & ~gf) continue; /* refused */
		/* allowed: look for a gaining x */
		for(int t=0;t<300;t++){
			char x[128],a[256],b[256]; randpath(x,1,4);
			snprintf(a,256,"%s%s",from,x); snprintf(b,256,"%s%s",to,x);
			u32 ra=charter_rules_access(rules,nr,a), rb=charter_rules_access(rules,nr,b);
			if(rb&~ra){
				printf("ESCAPE: from=%s to=%s x=%s gains %x;",from,to,x,rb&~ra);
				for(int i=0;i<nr;i++) printf(" [%s %x]",pats[i],rules[i].access);
				printf("\n"); found++; break;
			}
		}
	}
	printf("done, %d found\n",found);
	return 0;
}
